package io.rpcenv.spi;

import io.rpcenv.RpcEndpoint;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcEnv;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link RpcEnv} implementation may do to the endpoints registered with it, and no one
 * else: {@link RpcEnv} hands the only instance to the {@link RpcEnvFactory} it loads.
 */
public interface EndpointBinder {
  /**
   * Binds {@code endpoint} to {@code env} unless it is bound already (to any env), atomically;
   * returns whether it was bound now. {@link RpcEndpoint#rpcEnv()} returns {@code env} from then
   * on.
   */
  boolean bind(RpcEndpoint endpoint, RpcEnv env);

  /** Undoes {@link #bind} for an endpoint whose registration failed. */
  void unbind(RpcEndpoint endpoint);

  /** Sets, or clears with null, the ref that {@link RpcEndpoint#self()} returns. */
  void setSelf(RpcEndpoint endpoint, @Nullable RpcEndpointRef self);
}
