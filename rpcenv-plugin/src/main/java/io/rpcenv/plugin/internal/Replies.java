package io.rpcenv.plugin.internal;

import io.rpcenv.RpcRemoteException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Plugin asks throw what the other side threw, with its own type, instead of rpcenv's wrapper;
 * transport failures (timeouts, lost connections) stay rpcenv exceptions.
 */
final class Replies {
  private Replies() {}

  /** The exception to show a plugin for a failed ask. */
  static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof RpcRemoteException remote && remote.getCause() != null) {
      return remote.getCause();
    }
    return e;
  }

  /** Throws {@code t} unwrapped from a method that declares {@code Exception}. */
  static Exception rethrow(Throwable t) throws Exception {
    Throwable e = unwrap(t);
    if (e instanceof Exception ex) {
      throw ex;
    }
    if (e instanceof Error err) {
      throw err;
    }
    throw new IllegalStateException(e);
  }
}
