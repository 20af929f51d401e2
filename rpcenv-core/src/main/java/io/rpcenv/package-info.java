/**
 * The rpcenv API: {@link io.rpcenv.RpcEnv}, {@link io.rpcenv.RpcEndpoint}, {@link
 * io.rpcenv.RpcEndpointRef} and their value types, settings and exceptions. Nothing here depends on
 * the transport, which lives in {@code io.rpcenv.internal} and is found through {@link
 * io.rpcenv.spi.RpcEnvFactory}.
 */
package io.rpcenv;
