package io.rpcenv.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of the pooled buffer behind every frame, with and without the growth cap that frame
 * encoding passes (so a runaway object graph fails with a size error instead of exhausting memory).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AllocationBenchmark {
  @Param({"48", "4096"})
  public int size;

  /** Netty 4.2's default (adaptive) allocator, or the pooled allocator with thread-local caches. */
  @Param({"adaptive", "pooled"})
  public String allocator;

  private ByteBufAllocator alloc;

  @Setup
  public void setUp() {
    alloc = allocator.equals("pooled") ? PooledByteBufAllocator.DEFAULT : ByteBufAllocator.DEFAULT;
  }

  @Benchmark
  public int uncapped() {
    ByteBuf b = alloc.buffer(size);
    int c = b.capacity();
    b.release();
    return c;
  }

  @Benchmark
  public int capped() {
    ByteBuf b = alloc.buffer(size, 256 << 20);
    int c = b.capacity();
    b.release();
    return c;
  }
}
