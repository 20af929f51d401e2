package io.rpcenv.internal.transport;

import io.netty.handler.codec.CorruptedFrameException;

/** The peer broke the protocol: wrong preface, bad length, unexpected or malformed frame. */
final class ProtocolException extends CorruptedFrameException {
  private static final long serialVersionUID = 1L;

  ProtocolException(String message) {
    super(message);
  }
}
