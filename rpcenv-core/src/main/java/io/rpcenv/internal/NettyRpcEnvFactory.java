package io.rpcenv.internal;

import io.rpcenv.RpcEnv;
import io.rpcenv.RpcEnvConfig;
import io.rpcenv.spi.EndpointBinder;
import io.rpcenv.spi.RpcEnvFactory;

/** The {@link RpcEnvFactory} of the Netty transport, registered in META-INF/services. */
public final class NettyRpcEnvFactory implements RpcEnvFactory {
  @Override
  public RpcEnv create(RpcEnvConfig config, EndpointBinder binder) {
    return new NettyRpcEnv(config, binder);
  }
}
