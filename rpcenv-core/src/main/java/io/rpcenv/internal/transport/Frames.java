package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcMessageTooLargeException;
import io.rpcenv.RpcSerializationException;
import io.rpcenv.internal.call.FailureCode;
import io.rpcenv.internal.call.Failures;
import io.rpcenv.internal.serialize.MessageSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Encodes frames (see {@link Protocol}) into single pooled buffers, serializing the body in place
 * on the calling thread. Size and serializability are checked here, so a bad message fails its
 * sender before anything reaches the network.
 */
public final class Frames {
  private Frames() {}

  private static final int SMALL_BODY = 256;

  /**
   * An ask. {@code kind} and {@code target} describe the call in error texts ("the ask to
   * spark://…"); {@code target} is only turned into text when something fails.
   */
  public static ByteBuf request(
      ByteBufAllocator alloc,
      long requestId,
      byte[] endpoint,
      Object message,
      MessageSerializer serializer,
      long maxSize,
      String kind,
      Object target) {
    Call what = new Call(kind, target);
    int header = Protocol.FRAME_HEADER + 8 + 2 + endpoint.length;
    ByteBuf frame = allocate(alloc, header, message, maxSize, what);
    frame
        .writeInt(0)
        .writeByte(Protocol.REQUEST)
        .writeLong(requestId)
        .writeShort(endpoint.length)
        .writeBytes(endpoint);
    return finish(frame, header, message, serializer, maxSize, what);
  }

  /** A one-way message. */
  public static ByteBuf oneWay(
      ByteBufAllocator alloc,
      byte[] endpoint,
      Object message,
      MessageSerializer serializer,
      long maxSize,
      String kind,
      Object target) {
    Call what = new Call(kind, target);
    int header = Protocol.FRAME_HEADER + 2 + endpoint.length;
    ByteBuf frame = allocate(alloc, header, message, maxSize, what);
    frame.writeInt(0).writeByte(Protocol.ONE_WAY).writeShort(endpoint.length).writeBytes(endpoint);
    return finish(frame, header, message, serializer, maxSize, what);
  }

  /** A reply. */
  public static ByteBuf response(
      ByteBufAllocator alloc,
      long requestId,
      Object reply,
      MessageSerializer serializer,
      long maxSize,
      String kind,
      Object target) {
    Call what = new Call(kind, target);
    int header = Protocol.FRAME_HEADER + 8;
    ByteBuf frame = allocate(alloc, header, reply, maxSize, what);
    frame.writeInt(0).writeByte(Protocol.RESPONSE).writeLong(requestId);
    return finish(frame, header, reply, serializer, maxSize, what);
  }

  /**
   * A failed ask. {@code error}, when given, travels as class name, message and stack text, and
   * also serialized when it can be (within {@code maxSize}) so the asker can rethrow its type.
   */
  public static ByteBuf failure(
      ByteBufAllocator alloc,
      long requestId,
      FailureCode code,
      String message,
      Throwable error,
      MessageSerializer serializer,
      long maxSize) {
    ByteBuf frame = alloc.buffer(512);
    try {
      frame.writeInt(0).writeByte(Protocol.FAILURE).writeLong(requestId).writeByte(code.wire());
      writeUtf8Int(frame, cut(message, Protocol.MAX_FAILURE_MESSAGE));
      writeUtf8Short(frame, error == null ? "" : cut(error.getClass().getName(), 1000));
      writeUtf8Int(
          frame, error == null ? "" : cut(Failures.stackText(error), Protocol.MAX_FAILURE_STACK));
      if (error != null) {
        int mark = frame.writerIndex();
        try {
          serializer.write(error, frame);
          if (frame.writerIndex() - mark > maxSize) {
            frame.writerIndex(mark);
          }
        } catch (IOException | RuntimeException notSerializable) {
          frame.writerIndex(mark); // the texts above still describe it
        }
      }
      return frame.setInt(0, frame.writerIndex() - 4);
    } catch (RuntimeException e) {
      frame.release();
      throw e;
    }
  }

  /** An AUTH frame with the connecting side's proof. */
  static ByteBuf auth(ByteBufAllocator alloc, byte[] proof) {
    ByteBuf buf = alloc.buffer(Protocol.FRAME_HEADER + proof.length);
    return buf.writeInt(1 + proof.length).writeByte(Protocol.AUTH).writeBytes(proof);
  }

  /** A keepalive PING. */
  static ByteBuf ping(ByteBufAllocator alloc) {
    return alloc.buffer(Protocol.FRAME_HEADER).writeInt(1).writeByte(Protocol.PING);
  }

  /**
   * CREDIT: {@code count} more messages to the endpoint named {@code endpoint}, weighing {@code
   * bytes}, were handled.
   */
  static ByteBuf credit(ByteBufAllocator alloc, byte[] endpoint, int count, long bytes) {
    int length = 1 + 2 + endpoint.length + 4 + 8;
    return alloc
        .buffer(4 + length)
        .writeInt(length)
        .writeByte(Protocol.CREDIT)
        .writeShort(endpoint.length)
        .writeBytes(endpoint)
        .writeInt(count)
        .writeLong(bytes);
  }

  /** The answer to a PING. */
  static ByteBuf pong(ByteBufAllocator alloc) {
    return alloc.buffer(Protocol.FRAME_HEADER).writeInt(1).writeByte(Protocol.PONG);
  }

  /** The preface followed by a HELLO frame. */
  static ByteBuf prefaceAndHello(ByteBufAllocator alloc, Hello hello) {
    ByteBuf buf = alloc.buffer(64);
    buf.writeInt(Protocol.MAGIC).writeByte(Protocol.VERSION);
    int start = buf.writerIndex();
    buf.writeInt(0).writeByte(Protocol.HELLO);
    hello.writeTo(buf);
    return buf.setInt(start, buf.writerIndex() - start - 4);
  }

  /** The preface alone, for refusing a peer before the handshake. */
  static ByteBuf prefaceOnly(ByteBufAllocator alloc) {
    return alloc
        .buffer(Protocol.PREFACE_LENGTH)
        .writeInt(Protocol.MAGIC)
        .writeByte(Protocol.VERSION);
  }

  /** A CLOSE frame carrying the reason the connection is being closed. */
  static ByteBuf close(ByteBufAllocator alloc, byte code, String reason) {
    ByteBuf buf = alloc.buffer(64 + reason.length());
    buf.writeInt(0).writeByte(Protocol.CLOSE).writeByte(code);
    writeUtf8Short(buf, reason.length() > 8000 ? reason.substring(0, 8000) : reason);
    return buf.setInt(0, buf.writerIndex() - 4);
  }

  /** Describes a call only when an error needs the text. */
  private record Call(String kind, Object target) {
    @Override
    public String toString() {
      return kind + " to " + (target instanceof RpcEndpointRef r ? r.endpointAddress() : target);
    }
  }

  private static ByteBuf allocate(
      ByteBufAllocator alloc, int header, Object body, long maxSize, Call what) {
    int initial = header + 1 + SMALL_BODY;
    if (body instanceof byte[] bytes) {
      if (bytes.length > maxSize) {
        throw tooLarge(what, bytes.length, maxSize, false);
      }
      initial = header + 1 + bytes.length;
    } else if (body instanceof String s) {
      initial = header + 1 + ByteBufUtil.utf8MaxBytes(s);
    }
    // Cap growth so that a runaway object graph fails with a size error, not an OutOfMemoryError.
    long cap = Math.min(Integer.MAX_VALUE - 16L, header + 1 + 2 * maxSize);
    return alloc.buffer((int) Math.min(initial, cap), (int) cap);
  }

  private static ByteBuf finish(
      ByteBuf frame,
      int header,
      Object body,
      MessageSerializer serializer,
      long maxSize,
      Call what) {
    try {
      serializer.write(body, frame);
    } catch (IndexOutOfBoundsException capReached) {
      long seen = (long) frame.writerIndex() - header - 1;
      frame.release();
      throw tooLarge(what, seen, maxSize, true);
    } catch (IOException | RuntimeException e) {
      frame.release();
      throw new RpcSerializationException(
          "Cannot serialize "
              + (body == null ? "null" : body.getClass().getName())
              + " for the "
              + what
              + ": "
              + e
              + ". Messages and replies must implement java.io.Serializable, and so "
              + "must every object they reference.",
          e);
    }
    long size = (long) frame.writerIndex() - header - 1;
    if (size > maxSize) {
      frame.release();
      throw tooLarge(what, size, maxSize, false);
    }
    return frame.setInt(0, frame.writerIndex() - 4);
  }

  static RpcMessageTooLargeException tooLarge(
      Object what, long size, long maxSize, boolean atLeast) {
    return new RpcMessageTooLargeException(
        "The "
            + what
            + " serializes to "
            + (atLeast ? "more than " : "")
            + size
            + " bytes, which exceeds spark.rpc.message.maxSize ("
            + maxSize
            + " bytes). Increase spark.rpc.message.maxSize on both sides (at most 2047m) or send"
            + " less data per message.",
        size,
        maxSize);
  }

  private static String cut(String s, int max) {
    if (s == null) {
      return "";
    }
    return s.length() > max ? s.substring(0, max) + "…" : s;
  }

  static void writeUtf8Short(ByteBuf out, String s) {
    int lengthAt = out.writerIndex();
    out.writeShort(0);
    int n = ByteBufUtil.writeUtf8(out, s);
    if (n > 0xFFFF) {
      throw new IllegalArgumentException(
          "string of " + n + " UTF-8 bytes is longer than 65535: " + s.substring(0, 40) + "…");
    }
    out.setShort(lengthAt, n);
  }

  static String readUtf8Short(ByteBuf in) {
    int n = in.readUnsignedShort();
    return in.readCharSequence(n, StandardCharsets.UTF_8).toString();
  }

  static void writeUtf8Int(ByteBuf out, String s) {
    int lengthAt = out.writerIndex();
    out.writeInt(0);
    out.setInt(lengthAt, ByteBufUtil.writeUtf8(out, s));
  }

  static String readUtf8Int(ByteBuf in) {
    int n = in.readInt();
    if (n < 0 || n > in.readableBytes()) {
      throw new IndexOutOfBoundsException(
          "text length " + n + " exceeds the " + in.readableBytes() + " bytes left");
    }
    return in.readCharSequence(n, StandardCharsets.UTF_8).toString();
  }
}
