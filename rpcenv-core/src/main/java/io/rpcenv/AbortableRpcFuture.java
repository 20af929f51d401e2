package io.rpcenv;

import java.util.concurrent.CompletableFuture;

/**
 * An ask that the caller can give up on: {@link #abort} fails the future with the given reason and
 * forgets the request, so a late reply is ignored. The endpoint is not told.
 *
 * @param <T> the reply type
 */
public interface AbortableRpcFuture<T> {
  /** The reply, or the failure. */
  CompletableFuture<T> future();

  /** Fails {@link #future()} with {@code reason} unless it has already completed. */
  void abort(Throwable reason);
}
