package io.rpcenv.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcSerializationException;
import io.rpcenv.internal.call.FailureCode;
import io.rpcenv.internal.serialize.MessageSerializer;
import io.rpcenv.internal.serialize.RefResolver;
import io.rpcenv.internal.serialize.SerializedRef;
import io.rpcenv.internal.transport.Connection;
import io.rpcenv.internal.transport.Frames;
import io.rpcenv.internal.transport.Protocol;
import io.rpcenv.internal.transport.ReplyDecoder;
import java.io.IOException;
import java.util.function.BiFunction;

/**
 * The env's way of turning messages into frames and back: its serializer, allocator and size limit,
 * and how refs read off a connection are bound. Encoding happens on the calling thread, into one
 * pooled buffer per frame; a message too large or not serializable fails its sender before anything
 * reaches the network.
 */
public final class Codec implements ReplyDecoder {
  private final MessageSerializer serializer;
  private final ByteBufAllocator alloc;
  private final long maxSize;
  private final BiFunction<SerializedRef, Connection, RpcEndpointRef> binder;

  /**
   * @param binder makes the ref a {@link SerializedRef} stands for, read off a connection (null for
   *     local round trips)
   */
  public Codec(
      MessageSerializer serializer,
      ByteBufAllocator alloc,
      long maxSize,
      BiFunction<SerializedRef, Connection, RpcEndpointRef> binder) {
    this.serializer = serializer;
    this.alloc = alloc;
    this.maxSize = maxSize;
    this.binder = binder;
  }

  /**
   * A REQUEST frame; {@code target} names the call in error texts, and is turned into text only
   * then.
   */
  public ByteBuf request(long requestId, byte[] endpoint, Object message, Object target) {
    return Frames.request(alloc, requestId, endpoint, message, serializer, maxSize, "ask", target);
  }

  /** A ONE_WAY frame. */
  public ByteBuf oneWay(byte[] endpoint, Object message, Object target) {
    return Frames.oneWay(alloc, endpoint, message, serializer, maxSize, "message", target);
  }

  /** A RESPONSE frame answering {@code requestId}. */
  public ByteBuf reply(long requestId, Object reply, Object target) {
    return Frames.response(alloc, requestId, reply, serializer, maxSize, "reply", target);
  }

  /**
   * The head of a RESPONSE frame carrying a {@code byte[]} of {@code count} bytes that the caller
   * writes after it (file bytes sent from the file): the frame of an empty {@code byte[]}, its
   * length field counting the bytes to come. Null when this serializer does not write a {@code
   * byte[]} as its tag followed by the raw bytes; the bytes must then go as an ordinary reply.
   */
  public ByteBuf bytesReplyHead(long requestId, int count, Object target) {
    ByteBuf head = reply(requestId, new byte[0], target);
    if (head.readableBytes() != Protocol.FRAME_HEADER + 8 + 1) { // request id and tag, no bytes
      head.release();
      return null;
    }
    return head.setInt(0, head.getInt(0) + count);
  }

  /** A FAILURE frame answering {@code requestId}; {@code error}, when given, travels too. */
  public ByteBuf failure(long requestId, FailureCode code, String message, Throwable error) {
    return Frames.failure(alloc, requestId, code, message, error, serializer, maxSize);
  }

  @Override
  public MessageSerializer serializer() {
    return serializer;
  }

  @Override
  public RefResolver refsFrom(Connection connection) {
    return ref -> binder.apply(ref, connection);
  }

  /**
   * Serializes and deserializes {@code value} as if it crossed the network, for the test mode that
   * serializes local messages; fails the same way a remote send would.
   */
  public Object roundTrip(Object value, String what) {
    ByteBuf buf = Unpooled.buffer();
    try {
      try {
        serializer.write(value, buf);
      } catch (IOException | RuntimeException e) {
        throw new RpcSerializationException(
            "Cannot serialize "
                + value.getClass().getName()
                + " for the "
                + what
                + ": "
                + e
                + " (spark.rpc.serializeLocalMessages=true serializes local messages too). Messages"
                + " and replies must implement java.io.Serializable.",
            e);
      }
      try {
        return serializer.read(buf, refsFrom(null));
      } catch (IOException | ClassNotFoundException | RuntimeException e) {
        throw new RpcSerializationException(
            "Cannot deserialize " + value.getClass().getName() + " for the " + what + ": " + e, e);
      }
    } finally {
      buf.release();
    }
  }
}
