/**
 * The env's metrics: counters, gauges and histograms in its Dropwizard registry, their names, and
 * the Prometheus text they are exposed as.
 *
 * <p>Not API: everything here may change in any release. Use {@code RpcEnv.metrics()} instead.
 */
package io.rpcenv.internal.metrics;
