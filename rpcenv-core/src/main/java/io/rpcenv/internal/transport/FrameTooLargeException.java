package io.rpcenv.internal.transport;

import io.netty.handler.codec.TooLongFrameException;

/** A peer announced a frame longer than this env accepts; raised from the length header alone. */
final class FrameTooLargeException extends TooLongFrameException {
  private static final long serialVersionUID = 1L;

  FrameTooLargeException(String message) {
    super(message);
  }
}
