package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Checks the peer's preface, then cuts the stream into frames. A frame's length is checked
 * against the limit from its header alone, before any of it is buffered; a frame that will not
 * fit the buffer is given room for its exact size once, instead of growing step by step. Emits
 * each frame, without its length field, as a retained slice; a large request, one-way message or
 * reply (see {@link Protocol#LARGE_FRAME}) is emitted as a {@link LargeFrame} whose body was copied
 * into its final array piece by piece as it arrived.
 */
final class FrameDecoder extends ByteToMessageDecoder {
  private final String peer;
  private final long messageLimit;
  private boolean prefaceSeen;
  private int maxFrame = Protocol.MAX_HANDSHAKE_FRAME;
  private boolean failed;
  /** The large frame being assembled: its head through the body tag, and the rest of the body. */
  private byte[] largeHead;
  private byte[] largeRest;
  private int largeFilled;

  /**
   * @param peer the remote address, for error texts
   * @param messageLimit spark.rpc.message.maxSize in bytes, applied once the handshake is done
   */
  FrameDecoder(String peer, long messageLimit) {
    this.peer = peer;
    this.messageLimit = messageLimit;
  }

  /** After the handshake: accept frames up to the configured message size. */
  void handshakeDone() {
    maxFrame = (int) Math.min(Integer.MAX_VALUE - 16, messageLimit + Protocol.HEADER_ALLOWANCE);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (largeRest != null) {
      continueLarge(in, out);
      return;
    }
    if (!prefaceSeen) {
      if (in.readableBytes() < Protocol.PREFACE_LENGTH) {
        return;
      }
      int magic = in.getInt(in.readerIndex());
      byte version = in.getByte(in.readerIndex() + 4);
      if (magic != Protocol.MAGIC) {
        throw fail(new ProtocolException("Connection with " + peer + " does not speak the rpcenv protocol (first "
            + "bytes: " + ByteBufUtil.hexDump(in, in.readerIndex(), Protocol.PREFACE_LENGTH) + ", \""
            + printable(in, in.readerIndex(), Protocol.PREFACE_LENGTH) + "\")"));
      }
      if (version != Protocol.VERSION) {
        throw fail(new ProtocolException("Peer " + peer + " speaks rpcenv protocol version " + version
            + ", this env speaks version " + Protocol.VERSION));
      }
      in.skipBytes(Protocol.PREFACE_LENGTH);
      prefaceSeen = true;
    }
    if (in.readableBytes() < 4) {
      return;
    }
    int length = in.getInt(in.readerIndex());
    if (length <= 0) {
      throw fail(new ProtocolException("Frame length should be positive: " + length + " (from " + peer + ")"));
    }
    if (length > maxFrame) {
      throw fail(new FrameTooLargeException(maxFrame == Protocol.MAX_HANDSHAKE_FRAME
          ? "Peer " + peer + " sent a frame of " + length + " bytes before completing the handshake (limit "
              + maxFrame + " bytes)"
          : "Peer " + peer + " sent a frame of " + length + " bytes, which exceeds this env's limit of " + maxFrame
              + " bytes (spark.rpc.message.maxSize=" + messageLimit + " bytes plus headers)"));
    }
    int needed = 4 + length;
    if (in.readableBytes() < needed && length >= Protocol.LARGE_FRAME && maxFrame > Protocol.MAX_HANDSHAKE_FRAME) {
      int tagAt = Protocol.bodyOffset(in, in.readerIndex() + 4, length);
      if (tagAt == Protocol.NEED_MORE) {
        return;
      }
      if (tagAt != Protocol.NO_BODY) {
        in.skipBytes(4);
        largeHead = new byte[tagAt + 1];
        in.readBytes(largeHead);
        largeRest = new byte[length - tagAt - 1];
        largeFilled = 0;
        continueLarge(in, out);
        return;
      }
    }
    if (in.readableBytes() < needed) {
      int missing = needed - in.readableBytes();
      if (missing > in.writableBytes() && missing <= in.maxWritableBytes() && in.refCnt() == 1 && !in.isReadOnly()) {
        in.ensureWritable(missing); // one allocation sized to the frame, not repeated doubling
      }
      return;
    }
    in.skipBytes(4);
    out.add(in.readRetainedSlice(length));
  }

  /** Copies what has arrived of the large frame's body into its array; emits the frame when complete. */
  private void continueLarge(ByteBuf in, List<Object> out) {
    int n = Math.min(in.readableBytes(), largeRest.length - largeFilled);
    in.readBytes(largeRest, largeFilled, n);
    largeFilled += n;
    if (largeFilled == largeRest.length) {
      out.add(new LargeFrame(Unpooled.wrappedBuffer(largeHead), largeRest));
      largeHead = null;
      largeRest = null;
    }
  }

  private static String printable(ByteBuf in, int from, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = from; i < from + length; i++) {
      int c = in.getUnsignedByte(i);
      sb.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
    }
    return sb.toString();
  }

  private RuntimeException fail(RuntimeException e) {
    failed = true;
    return e;
  }
}
