package io.rpcenv.internal.serialize;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;

/**
 * Turns message bodies into bytes and back. The body is always the rest of a frame, so no length is
 * written. Kept behind this interface so that a faster serializer can replace Java serialization
 * without touching the transport.
 */
public interface MessageSerializer {
  /** Appends {@code value} (may be null) to {@code out}; throws naming the class that failed. */
  void write(Object value, ByteBuf out) throws IOException;

  /** Reads one value from all readable bytes of {@code in}; does not release it. */
  Object read(ByteBuf in, RefResolver refs) throws IOException, ClassNotFoundException;

  /**
   * Reads one value written as {@code tag} followed by {@code rest}: a large body that arrived into
   * an array. A serializer may hand back {@code rest} itself where the value is that array.
   */
  default Object read(byte tag, byte[] rest, RefResolver refs)
      throws IOException, ClassNotFoundException {
    return read(Unpooled.wrappedBuffer(new byte[] {tag}, rest), refs);
  }
}
