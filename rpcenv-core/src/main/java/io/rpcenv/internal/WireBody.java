package io.rpcenv.internal;

import io.netty.buffer.ByteBuf;
import io.rpcenv.internal.transport.Connection;

/**
 * The serialized body of a message that arrived over a connection. Read once (deserialized on a
 * dispatcher thread) or discarded once; either way the buffer is released exactly once.
 */
final class WireBody {
  private ByteBuf body;

  WireBody(ByteBuf body) {
    this.body = body;
  }

  /** Deserializes and releases the body; refs in it are bound to {@code connection}. */
  Object read(Codec codec, Connection connection) throws Exception {
    ByteBuf b = take();
    try {
      return codec.decode(b, connection);
    } finally {
      b.release();
    }
  }

  /** Releases the body unread, if it has not been read already. */
  void discard() {
    ByteBuf b = take();
    if (b != null) {
      b.release();
    }
  }

  private ByteBuf take() {
    ByteBuf b = body;
    body = null;
    return b;
  }
}
