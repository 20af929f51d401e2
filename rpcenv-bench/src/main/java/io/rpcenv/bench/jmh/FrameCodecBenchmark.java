package io.rpcenv.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rpcenv.bench.harness.Messages;
import io.rpcenv.internal.serialize.DeserializationPolicy;
import io.rpcenv.internal.serialize.JavaMessageSerializer;
import io.rpcenv.internal.serialize.RefResolver;
import io.rpcenv.internal.transport.Frames;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
 * The envelope: a request frame encoded into a pooled buffer (header, endpoint name, tagged body)
 * and its body decoded again, for the body kinds the serializer treats differently.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameCodecBenchmark {
  private static final long MAX_SIZE = 128L << 20;

  /**
   * The body: 16 bytes, a 16-character string, a boxed int, or a small record (Java serialization).
   */
  @Param({"bytes16", "string16", "int", "record"})
  public String body;

  private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
  private final byte[] endpoint = "echo".getBytes(StandardCharsets.UTF_8);
  private final JavaMessageSerializer serializer =
      new JavaMessageSerializer(
          FrameCodecBenchmark.class.getClassLoader(),
          new DeserializationPolicy(
              List.of("io.rpcenv.bench.**"), 20, 10_000, 1_000_000, MAX_SIZE));
  private Object message;
  private ByteBuf encoded;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    message = Messages.sample(body);
    encoded = Frames.request(alloc, 1, endpoint, message, serializer, MAX_SIZE, "ask", "bench");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    encoded.release();
  }

  /** Encodes one request frame and releases it. */
  @Benchmark
  public int encodeRequest() {
    ByteBuf frame =
        Frames.request(alloc, 42, endpoint, message, serializer, MAX_SIZE, "ask", "bench");
    int n = frame.readableBytes();
    frame.release();
    return n;
  }

  /** Decodes the body of an encoded request frame (after its header, as the receiver does). */
  @Benchmark
  public Object decodeBody() throws Exception {
    ByteBuf in = encoded.duplicate();
    in.skipBytes(4 + 1 + 8); // length, type, request id
    in.skipBytes(in.readUnsignedShort()); // endpoint name
    return serializer.read(in, RefResolver.UNBOUND);
  }
}
