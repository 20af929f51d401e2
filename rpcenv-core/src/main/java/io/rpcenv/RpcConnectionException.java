package io.rpcenv;

import org.jspecify.annotations.Nullable;

/**
 * The connection to a peer could not be made, or closed while a call depended on it. The message
 * names the peer; asks outstanding on a connection that closes fail with this at once rather than
 * waiting for their timeout.
 */
public class RpcConnectionException extends RpcException {
  private static final long serialVersionUID = 1L;

  private final RpcAddress peer;

  /** Creates the failure for {@code peer} (may be null when the peer has no listen address). */
  public RpcConnectionException(String message, RpcAddress peer, Throwable cause) {
    super(message, cause);
    this.peer = peer;
  }

  /** The address of the peer, or null for a client-mode peer that has no listen address. */
  public @Nullable RpcAddress peer() {
    return peer;
  }
}
