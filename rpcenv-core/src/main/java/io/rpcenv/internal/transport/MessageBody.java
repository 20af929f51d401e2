package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;
import io.rpcenv.internal.serialize.MessageSerializer;
import io.rpcenv.internal.serialize.RefResolver;
import java.io.IOException;

/**
 * The serialized body of a message that arrived over a connection: a serializer tag and the value
 * after it. Small bodies are a slice of the frame's pooled buffer; large ones were copied into one
 * array while they arrived (see {@link FrameDecoder}), so a large {@code byte[]} message needs no
 * further copy. Read once or discarded once; either way the buffer is released exactly once.
 */
public final class MessageBody {
  private ByteBuf buf;
  private final byte tag;
  private byte[] rest;
  private final long weight;

  private MessageBody(ByteBuf buf, byte tag, byte[] rest) {
    this.buf = buf;
    this.tag = tag;
    this.rest = rest;
    this.weight = Protocol.weight(size());
  }

  /** A body that is the readable part of {@code buf}, which the body now owns. */
  static MessageBody of(ByteBuf buf) {
    return new MessageBody(buf, (byte) 0, null);
  }

  /** A body assembled in an array: {@code tag}, then {@code rest}. */
  static MessageBody ofArray(byte tag, byte[] rest) {
    return new MessageBody(null, tag, rest);
  }

  /** Serialized size after the tag, as checked against spark.rpc.message.maxSize. */
  long size() {
    ByteBuf b = buf;
    return b != null ? Math.max(0, b.readableBytes() - 1L) : rest != null ? rest.length : 0;
  }

  /**
   * What this message weighs in its endpoint's window ({@link Protocol#weight}); still known after
   * the body was read or discarded, for the credit given back.
   */
  public long weight() {
    return weight;
  }

  /** Deserializes and releases the body; throws if it was already read or discarded. */
  public Object read(MessageSerializer serializer, RefResolver refs)
      throws IOException, ClassNotFoundException {
    ByteBuf b = buf;
    byte[] r = rest;
    buf = null;
    rest = null;
    if (b != null) {
      try {
        return serializer.read(b, refs);
      } finally {
        b.release();
      }
    }
    if (r == null) {
      throw new IllegalStateException("message body already consumed");
    }
    return serializer.read(tag, r, refs);
  }

  /** Releases the body unread, if it has not been read already. */
  public void discard() {
    ByteBuf b = buf;
    buf = null;
    rest = null;
    if (b != null) {
      b.release();
    }
  }
}
