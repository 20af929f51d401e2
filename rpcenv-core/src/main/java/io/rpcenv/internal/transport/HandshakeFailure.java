package io.rpcenv.internal.transport;

import io.rpcenv.RpcException;

/**
 * The handshake failed: the connection closes, the peer is told why when {@code closeCode} is not
 * null, and what waited on the connection fails with {@link #failure()}.
 */
final class HandshakeFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient RpcException failure;
  private final Byte closeCode;
  private final String toPeer;

  /** Tells the peer {@code failure}'s message (when {@code closeCode} is not null). */
  HandshakeFailure(RpcException failure, Byte closeCode) {
    this(failure, closeCode, failure.getMessage());
  }

  /**
   * Tells the peer {@code toPeer} instead: what this side logs is not always what the peer needs.
   */
  HandshakeFailure(RpcException failure, Byte closeCode, String toPeer) {
    super(failure.getMessage(), failure, false, false);
    this.failure = failure;
    this.closeCode = closeCode;
    this.toPeer = toPeer;
  }

  /** The reason sent to the peer in the CLOSE frame. */
  String toPeer() {
    return toPeer;
  }

  RpcException failure() {
    return failure;
  }

  /** The CLOSE code to send the peer, or null to close without a word. */
  Byte closeCode() {
    return closeCode;
  }
}
