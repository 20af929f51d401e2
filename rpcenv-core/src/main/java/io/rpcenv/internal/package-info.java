/**
 * The Netty implementation of {@link io.rpcenv.RpcEnv}: the env that builds and owns everything
 * ({@code NettyRpcEnv}), where messages leave ({@code Outbound}) and arrive ({@code Inbound}),
 * refs, lookups and the orderly shutdown.
 *
 * <p>Not API: everything here may change in any release. Use {@code io.rpcenv} instead.
 */
package io.rpcenv.internal;
