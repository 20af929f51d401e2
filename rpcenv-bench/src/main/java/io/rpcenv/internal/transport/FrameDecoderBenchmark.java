package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cutting a stream into frames, as the receiving event loop does it, fed in 64 KiB reads: one 8 MiB
 * one-way message assembled as it arrives (W4's shape), or reads full of 48-byte one-way messages,
 * the last one cut by the read's end (W3's). In this package because the decoder is not public.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameDecoderBenchmark {
  private static final int READ = 64 * 1024;

  /**
   * {@code large8m}: one 8 MiB frame per operation; {@code small48}: one 64 KiB read of 48-byte
   * frames.
   */
  @Param({"large8m", "small48"})
  public String stream;

  private EmbeddedChannel channel;
  private ByteBuf data;

  @Setup(Level.Trial)
  public void setUp() {
    channel = new EmbeddedChannel();
    FrameDecoder d =
        new FrameDecoder(
            "bench",
            128L << 20,
            Duration.ofSeconds(120),
            new FrameBudget(1L << 30),
            new SpareArrays(1, 1),
            new ReadGate(channel));
    channel.pipeline().addLast(d);
    channel.writeInbound(
        ByteBufAllocator.DEFAULT.buffer().writeInt(Protocol.MAGIC).writeByte(Protocol.VERSION));
    d.handshakeDone();
    data = ByteBufAllocator.DEFAULT.directBuffer();
    if (stream.equals("large8m")) {
      oneWay(data, 8 << 20);
    } else {
      while (data.readableBytes() < 3 * READ) { // 4,096 frames: the stream can loop without a seam
        oneWay(data, 48 - 12);
      }
    }
  }

  private static void oneWay(ByteBuf b, int bodyBytes) {
    b.writeInt(1 + 2 + 4 + 1 + bodyBytes)
        .writeByte(Protocol.ONE_WAY)
        .writeShort(4)
        .writeBytes(new byte[] {'e', 'c', 'h', 'o'})
        .writeByte(2)
        .writeZero(bodyBytes);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    data.release();
    channel.finishAndReleaseAll();
  }

  @Benchmark
  public int decode() {
    int frames = 0;
    int limit = stream.equals("large8m") ? data.writerIndex() : READ;
    int from = stream.equals("large8m") ? 0 : smallOffset;
    for (int at = from; at < from + limit; at += READ) {
      channel.writeInbound(data.retainedSlice(at, Math.min(READ, from + limit - at)));
      Object out;
      while ((out = channel.readInbound()) != null) {
        frames++;
        ReferenceCountUtil.release(out instanceof LargeFrame large ? large.head() : out);
      }
    }
    if (!stream.equals("large8m")) {
      smallOffset =
          (smallOffset + READ)
              % (3 * READ); // frames straddle the reads' ends, the loop has no seam
    }
    return frames;
  }

  private int smallOffset;
}
