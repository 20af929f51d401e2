package io.rpcenv;

import org.jspecify.annotations.Nullable;

/**
 * A peer could not be authenticated: wrong or missing shared secret, a peer that does not
 * authenticate when this env requires it (there is no fallback to a weaker mode), or a TLS
 * certificate that could not be verified. Never retried.
 */
public class RpcAuthenticationException extends RpcException {
  private static final long serialVersionUID = 1L;

  private final RpcAddress peer;

  /** Creates the failure for {@code peer}. */
  public RpcAuthenticationException(String message, RpcAddress peer, Throwable cause) {
    super(message, cause);
    this.peer = peer;
  }

  /** The peer that failed authentication (its listen or socket address), or null if unknown. */
  public @Nullable RpcAddress peer() {
    return peer;
  }
}
