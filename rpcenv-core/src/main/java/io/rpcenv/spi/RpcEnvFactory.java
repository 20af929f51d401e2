package io.rpcenv.spi;

import io.rpcenv.RpcEnv;
import io.rpcenv.RpcEnvConfig;

/**
 * Creates {@link RpcEnv}s. Found with {@link java.util.ServiceLoader}, which keeps the public API
 * free of any dependency on the transport that implements it.
 */
public interface RpcEnvFactory {
  /** Creates and starts an env; throws {@link io.rpcenv.RpcException} if it cannot start. */
  RpcEnv create(RpcEnvConfig config, EndpointBinder binder);
}
