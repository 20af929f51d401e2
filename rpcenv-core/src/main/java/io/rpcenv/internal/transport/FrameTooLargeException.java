package io.rpcenv.internal.transport;

import io.netty.handler.codec.TooLongFrameException;

/** A peer announced a frame longer than this env accepts; raised from the length header alone. */
final class FrameTooLargeException extends TooLongFrameException {
  private static final long serialVersionUID = 1L;

  FrameTooLargeException(String message) {
    super(message);
  }

  /** A frame of {@code length} bytes from {@code peer}, over {@code maxFrame}. */
  static FrameTooLargeException of(String peer, int length, int maxFrame, long messageLimit) {
    return new FrameTooLargeException(
        maxFrame == Protocol.MAX_HANDSHAKE_FRAME
            ? "Peer "
                + peer
                + " sent a frame of "
                + length
                + " bytes before completing the handshake (limit "
                + maxFrame
                + " bytes)"
            : "Peer "
                + peer
                + " sent a frame of "
                + length
                + " bytes, which exceeds this env's limit of "
                + maxFrame
                + " bytes (spark.rpc.message.maxSize="
                + messageLimit
                + " bytes plus headers)");
  }
}
