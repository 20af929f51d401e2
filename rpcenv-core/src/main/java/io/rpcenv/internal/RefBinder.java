package io.rpcenv.internal;

import io.rpcenv.RpcEndpointRef;
import io.rpcenv.internal.serialize.SerializedRef;
import io.rpcenv.internal.transport.Connection;
import io.rpcenv.internal.transport.Transport;
import java.util.function.BiFunction;

/**
 * Makes the refs that arrive inside messages usable in this env: a ref to a listening env by its
 * address, a ref to one of this env's own client-mode endpoints as local, and a ref to another
 * client-mode env over the connection it came from (or any open connection to that env).
 */
final class RefBinder implements BiFunction<SerializedRef, Connection, RpcEndpointRef> {
  private final NettyRpcEnv env;
  private Transport transport;

  RefBinder(NettyRpcEnv env) {
    this.env = env;
  }

  /**
   * The transport exists only after the codec that uses this binder; set once, before any traffic.
   */
  void transport(Transport t) {
    this.transport = t;
  }

  /** Binds a ref read off {@code connection} (null for local round trips) to this env. */
  @Override
  public RpcEndpointRef apply(SerializedRef s, Connection connection) {
    if (s.address() != null) {
      return new NettyRpcEndpointRef(env, s.address(), s.name(), 0, null);
    }
    if (s.clientEnvId() == env.envId()) {
      return new NettyRpcEndpointRef(env, null, s.name(), env.envId(), null);
    }
    Connection via =
        connection != null && connection.peerEnvId() == s.clientEnvId()
            ? connection
            : transport.connectionToEnv(s.clientEnvId());
    return new NettyRpcEndpointRef(env, null, s.name(), s.clientEnvId(), via);
  }
}
