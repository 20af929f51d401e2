package io.rpcenv.spark.internal;

import com.codahale.metrics.MetricRegistry;
import io.rpcenv.RpcEnv;

/**
 * Puts an rpcenv env's own metrics ({@link RpcEnv#metrics()}) beside the plugins' in the registry
 * Spark gives the adapter, under {@value #PREFIX}: Spark's metrics system then reports them with
 * the source {@code plugin.io.rpcenv.spark.RpcenvSparkPlugin}. The env's registry is added as a
 * child registry, so series made later (an endpoint set up, asks to a new executor) follow it
 * there, and those removed leave.
 */
final class EnvMetricsInSpark {
  /** The prefix of the env's series in the adapter's registry. */
  static final String PREFIX = "rpcenv";

  private EnvMetricsInSpark() {}

  static void register(RpcEnv env, MetricRegistry spark) {
    spark.register(PREFIX, env.metrics());
  }
}
