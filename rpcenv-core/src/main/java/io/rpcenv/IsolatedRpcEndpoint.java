package io.rpcenv;

/**
 * Marks an {@link RpcEndpoint} that runs on its own threads instead of the shared dispatcher pool,
 * so that a busy or blocking endpoint neither delays nor is delayed by the others.
 *
 * <p>With one thread (the default) messages are handled one at a time, in order, as for a {@link
 * ThreadSafeRpcEndpoint}. With more threads they may run concurrently and out of order, unless the
 * endpoint also implements {@link ThreadSafeRpcEndpoint}.
 */
public interface IsolatedRpcEndpoint {
  /** Number of dedicated threads; at least 1. */
  default int threadCount() {
    return 1;
  }
}
