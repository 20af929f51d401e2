package io.rpcenv.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
  private final EmbeddedChannel ch = new EmbeddedChannel();
  private final FrameDecoder decoder = add(ch, 1024, new FrameBudget(1L << 30));

  /** A decoder on {@code c}, with a 30 s frame timeout. */
  static FrameDecoder add(EmbeddedChannel c, long limit, FrameBudget budget) {
    return add(c, limit, budget, new SpareArrays(1, 1));
  }

  static FrameDecoder add(EmbeddedChannel c, long limit, FrameBudget budget, SpareArrays spares) {
    FrameDecoder d =
        new FrameDecoder(
            "test-peer", limit, Duration.ofSeconds(30), budget, spares, new ReadGate(c));
    c.pipeline().addLast(d);
    return d;
  }

  @AfterEach
  void close() {
    ch.finishAndReleaseAll();
  }

  private static ByteBuf preface() {
    return Unpooled.buffer().writeInt(Protocol.MAGIC).writeByte(Protocol.VERSION);
  }

  private static ByteBuf frame(int bodyLength) {
    ByteBuf b = Unpooled.buffer().writeInt(bodyLength);
    for (int i = 0; i < bodyLength; i++) {
      b.writeByte(i);
    }
    return b;
  }

  @Test
  void cutsFramesEvenWhenTheLengthFieldArrivesInPieces() {
    ch.writeInbound(preface());
    ByteBuf f = frame(10);
    ch.writeInbound(f.readRetainedSlice(2));
    assertThat((Object) ch.readInbound()).isNull();
    ch.writeInbound(f.readRetainedSlice(5));
    assertThat((Object) ch.readInbound()).isNull();
    ch.writeInbound(f.readRetainedSlice(f.readableBytes()));
    f.release();
    ByteBuf out = ch.readInbound();
    assertThat(out.readableBytes()).isEqualTo(10);
    assertThat(out.getByte(9)).isEqualTo((byte) 9);
    out.release();
  }

  @Test
  void emitsSeveralFramesFromOneRead() {
    ByteBuf all = preface().writeBytes(frame(3)).writeBytes(frame(4));
    ch.writeInbound(all);
    ByteBuf a = ch.readInbound();
    ByteBuf b = ch.readInbound();
    assertThat(a.readableBytes()).isEqualTo(3);
    assertThat(b.readableBytes()).isEqualTo(4);
    a.release();
    b.release();
  }

  @Test
  void rejectsAPeerThatDoesNotSpeakTheProtocol() {
    ByteBuf http =
        Unpooled.copiedBuffer("GET / HTTP/1.1\r\n\r\n", java.nio.charset.StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> ch.writeInbound(http))
        .isInstanceOf(DecoderException.class)
        .hasMessageContaining("does not speak the rpcenv protocol")
        .hasMessageContaining("474554202f, \"GET /\"");
  }

  @Test
  void rejectsAnotherProtocolVersion() {
    ByteBuf other = Unpooled.buffer().writeInt(Protocol.MAGIC).writeByte(Protocol.VERSION + 1);
    assertThatThrownBy(() -> ch.writeInbound(other))
        .hasMessageContaining("protocol version " + (Protocol.VERSION + 1));
  }

  @Test
  void rejectsZeroAndNegativeLengths() {
    ch.writeInbound(preface());
    assertThatThrownBy(() -> ch.writeInbound(Unpooled.buffer().writeInt(0)))
        .hasMessageContaining("Frame length should be positive: 0");
  }

  @Test
  void rejectsANegativeLength() {
    ch.writeInbound(preface());
    assertThatThrownBy(() -> ch.writeInbound(Unpooled.buffer().writeInt(-5)))
        .hasMessageContaining("Frame length should be positive: -5");
  }

  @Test
  void beforeTheHandshakeOnlySmallFramesAreAccepted() {
    ch.writeInbound(preface());
    assertThatThrownBy(
            () -> ch.writeInbound(Unpooled.buffer().writeInt(Protocol.MAX_HANDSHAKE_FRAME + 1)))
        .hasMessageContaining("before completing the handshake");
  }

  @Test
  void afterTheHandshakeTheLimitIsTheMessageSizePlusHeaders() {
    ch.writeInbound(preface());
    decoder.handshakeDone();
    int limit = 1024 + Protocol.HEADER_ALLOWANCE;
    ch.writeInbound(Unpooled.buffer().writeInt(limit)); // accepted: waits for the body
    assertThat((Object) ch.readInbound()).isNull();
  }

  @Test
  void aTooLargeLengthIsRejectedFromTheHeaderAlone() {
    ch.writeInbound(preface());
    decoder.handshakeDone();
    assertThatThrownBy(() -> ch.writeInbound(Unpooled.buffer().writeInt(Integer.MAX_VALUE)))
        .isInstanceOf(FrameTooLargeException.class)
        .hasMessageContaining("spark.rpc.message.maxSize");
  }

  @Test
  void aLargeFrameWithoutAMessageBodyIsAssembledAsItArrivesToo() {
    EmbeddedChannel c = new EmbeddedChannel();
    FrameDecoder big = add(c, 1 << 20, new FrameBudget(1L << 30));
    try {
      c.writeInbound(preface());
      big.handshakeDone();
      ByteBuf whole = frame(600_000);
      c.writeInbound(whole.readRetainedSlice(1000));
      while (whole.readableBytes() > 0) {
        c.writeInbound(whole.readRetainedSlice(Math.min(64 * 1024, whole.readableBytes())));
      }
      whole.release();
      ByteBuf out = c.readInbound();
      assertThat(out.readableBytes()).isEqualTo(600_000);
      assertThat(out.getByte(599_999)).isEqualTo((byte) (599_999 & 0xff));
      out.release();
    } finally {
      c.finishAndReleaseAll();
    }
  }

  /** A REQUEST frame for endpoint "echo" whose body is tag 2 and {@code n} bytes counting up. */
  private static ByteBuf largeRequest(int n) {
    ByteBuf b = Unpooled.buffer();
    b.writeInt(0)
        .writeByte(Protocol.REQUEST)
        .writeLong(77)
        .writeShort(4)
        .writeBytes("echo".getBytes());
    b.writeByte(2);
    for (int i = 0; i < n; i++) {
      b.writeByte(i);
    }
    return b.setInt(0, b.writerIndex() - 4);
  }

  private static void feedInPieces(EmbeddedChannel c, ByteBuf whole, int... firstPieces) {
    for (int n : firstPieces) {
      c.writeInbound(whole.readRetainedSlice(n));
    }
    while (whole.readableBytes() > 0) {
      c.writeInbound(whole.readRetainedSlice(Math.min(50_000, whole.readableBytes())));
    }
    whole.release();
  }

  @Test
  void aBodyOfTheSpareArraysSizeIsAssembledInASpareArrayEveryByteOfWhichIsWritten() {
    int n = Protocol.LARGE_FRAME + 1000;
    SpareArrays spares = new SpareArrays(n, 2);
    byte[] spare = new byte[n];
    java.util.Arrays.fill(spare, (byte) 0x55); // what an earlier block left in it
    spares.give(spare);
    EmbeddedChannel c = new EmbeddedChannel();
    FrameDecoder big = add(c, 1 << 20, new FrameBudget(1L << 30), spares);
    try {
      c.writeInbound(preface());
      big.handshakeDone();
      feedInPieces(c, largeRequest(n), 40); // little has arrived when the array is chosen
      LargeFrame large = c.readInbound();
      large.head().release();
      assertThat(large.rest()).isSameAs(spare);
      for (int i = 0; i < n; i++) {
        assertThat(large.rest()[i]).isEqualTo((byte) i);
      }
      // With no spare left, the next one is a new array.
      feedInPieces(c, largeRequest(n), 40);
      LargeFrame next = c.readInbound();
      next.head().release();
      assertThat(next.rest()).isNotSameAs(spare).hasSize(n);
    } finally {
      c.finishAndReleaseAll();
    }
  }

  @Test
  void sparesAreKeptUpToTheirCapacityAndOnlyOfTheirSize() {
    SpareArrays spares = new SpareArrays(8, 1);
    byte[] a = new byte[8];
    spares.give(a);
    spares.give(new byte[8]); // beyond the capacity: left to the collector
    spares.give(new byte[9]); // another size: ignored
    assertThat(spares.take(9)).hasSize(9);
    assertThat(spares.take(8)).isSameAs(a);
    assertThat(spares.take(8)).isNotSameAs(a).hasSize(8);
    spares.give(a);
    spares.clear();
    assertThat(spares.take(8)).isNotSameAs(a);
  }

  @Test
  void aLargeRequestBodyIsAssembledIntoOneArrayAsItArrivesEvenWhenItsHeaderIsSplit() {
    EmbeddedChannel c = new EmbeddedChannel();
    FrameDecoder big = add(c, 1 << 20, new FrameBudget(1L << 30));
    try {
      c.writeInbound(preface());
      big.handshakeDone();
      int n = Protocol.LARGE_FRAME + 1000;
      ByteBuf tail = frame(3); // a small frame right behind it, in the same reads
      ByteBuf both = Unpooled.wrappedBuffer(largeRequest(n), tail);
      feedInPieces(c, both, 2, 5, 8, 1);
      LargeFrame large = c.readInbound();
      assertThat(large.head().readByte()).isEqualTo(Protocol.REQUEST);
      assertThat(large.head().readLong()).isEqualTo(77);
      assertThat(large.head().readShort()).isEqualTo((short) 4);
      large.head().skipBytes(4);
      assertThat(large.head().readByte()).isEqualTo((byte) 2);
      assertThat(large.head().isReadable()).isFalse();
      large.head().release();
      assertThat(large.rest()).hasSize(n);
      for (int i = 0; i < n; i += 997) {
        assertThat(large.rest()[i]).isEqualTo((byte) i);
      }
      ByteBuf small = c.readInbound();
      assertThat(small.readableBytes()).isEqualTo(3);
      small.release();
    } finally {
      c.finishAndReleaseAll();
    }
  }

  @Test
  void aLargeFrameWithAnOverlongEndpointNameIsLeftToTheWholeFramePath() {
    EmbeddedChannel c = new EmbeddedChannel();
    FrameDecoder big = add(c, 1 << 20, new FrameBudget(1L << 30));
    try {
      c.writeInbound(preface());
      big.handshakeDone();
      ByteBuf f = Unpooled.buffer();
      f.writeInt(Protocol.LARGE_FRAME)
          .writeByte(Protocol.ONE_WAY)
          .writeShort(Protocol.MAX_ENDPOINT_NAME + 1);
      f.writeZero(Protocol.LARGE_FRAME - 3);
      feedInPieces(c, f, 10);
      ByteBuf out = c.readInbound();
      assertThat(out.readableBytes()).isEqualTo(Protocol.LARGE_FRAME);
      out.release();
    } finally {
      c.finishAndReleaseAll();
    }
  }
}
