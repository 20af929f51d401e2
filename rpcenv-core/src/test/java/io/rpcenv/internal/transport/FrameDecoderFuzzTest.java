package io.rpcenv.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random streams of frames, valid and mutated, fed to the decoder in random pieces: it emits frames
 * or fails with the protocol's own exceptions, never holds more memory than eight times the bytes
 * it was given (plus one first array), and gives everything back at the end; the leak check runs
 * after the test. Deterministic per seed; {@code -Dfuzz.seed} and {@code -Dfuzz.cases} run others.
 */
class FrameDecoderFuzzTest {
  static final long SEED = Long.getLong("fuzz.seed", 20261202L);
  static final int CASES = Integer.getInteger("fuzz.cases", 400) * 5;

  /**
   * A stream of frames; some are large enough to be assembled as they arrive, some lie about their
   * length.
   */
  private static ByteBuf stream(Random r) {
    ByteBuf b = Unpooled.buffer();
    for (int i = 0, n = 1 + r.nextInt(6); i < n; i++) {
      int kind = r.nextInt(10);
      int bodyLength = kind == 0 ? Protocol.LARGE_FRAME + r.nextInt(100_000) : r.nextInt(300);
      byte type =
          (byte) (kind == 9 ? r.nextInt(256) : 2 + r.nextInt(3)); // REQUEST, ONE_WAY, RESPONSE
      int start = b.writerIndex();
      b.writeInt(0).writeByte(type);
      if (type == Protocol.REQUEST) {
        b.writeLong(r.nextLong());
      }
      if (type == Protocol.REQUEST || type == Protocol.ONE_WAY) {
        int name = r.nextInt(8) == 0 ? r.nextInt(5000) : 4;
        b.writeShort(name).writeZero(Math.min(name, 50));
      }
      if (type == Protocol.RESPONSE) {
        b.writeLong(r.nextLong());
      }
      byte[] body = new byte[bodyLength];
      r.nextBytes(body);
      b.writeBytes(body);
      int length = b.writerIndex() - start - 4;
      int lie = r.nextInt(8) == 0 ? r.nextInt(2 * length + 10) - 5 : length;
      b.setInt(start, lie);
    }
    return b;
  }

  @Test
  void randomStreamsYieldFramesOrTheProtocolsOwnErrorsAndHoldNoMoreThanTheyGot() {
    Random r = new Random(SEED);
    int failures = 0;
    for (int i = 0; i < CASES; i++) {
      FrameBudget budget = new FrameBudget(1L << 30);
      EmbeddedChannel c = new EmbeddedChannel();
      FrameDecoder d =
          new FrameDecoder(
              "fuzz",
              1 << 20,
              Duration.ofSeconds(30),
              budget,
              new SpareArrays(1, 1),
              new ReadGate(c));
      c.pipeline().addLast(d);
      c.writeInbound(Unpooled.buffer().writeInt(Protocol.MAGIC).writeByte(Protocol.VERSION));
      d.handshakeDone();
      ByteBuf s = stream(r);
      long fed = 0;
      try {
        while (s.isReadable()) {
          int n = Math.min(s.readableBytes(), 1 + r.nextInt(r.nextBoolean() ? 64 : 70_000));
          fed += n;
          c.writeInbound(s.readRetainedSlice(n));
          Object out;
          while ((out = c.readInbound()) != null) {
            ReferenceCountUtil.release(out instanceof LargeFrame large ? large.head() : out);
          }
          assertThat(budget.used())
              .as("case %s of seed %s: held after %s bytes", i, SEED, fed)
              .isLessThanOrEqualTo(8 * fed + 64 * 1024 + Protocol.MAX_ENDPOINT_NAME + 16);
        }
      } catch (DecoderException e) {
        failures++;
        Throwable why =
            e instanceof ProtocolException || e instanceof FrameTooLargeException
                ? e
                : e.getCause();
        assertThat(why)
            .as("case %s of seed %s", i, SEED)
            .isInstanceOfAny(ProtocolException.class, FrameTooLargeException.class);
      } finally {
        s.release();
        c.finishAndReleaseAll();
      }
      assertThat(budget.used())
          .as("case %s of seed %s: held after the channel closed", i, SEED)
          .isZero();
    }
    assertThat(failures).as("some streams are refused").isPositive();
  }
}
