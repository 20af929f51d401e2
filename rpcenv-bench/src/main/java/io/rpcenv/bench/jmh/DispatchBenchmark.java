package io.rpcenv.bench.jmh;

import io.rpcenv.RpcCallContext;
import io.rpcenv.RpcConf;
import io.rpcenv.RpcEndpoint;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcEnv;
import io.rpcenv.RpcEnvConfig;
import io.rpcenv.ThreadSafeRpcEndpoint;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The dispatcher without the network: asks and sends to endpoints of the same env, through the
 * inbox and a dispatcher thread, for a plain and a thread-safe endpoint.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DispatchBenchmark {
  private static final int BATCH = 1000;

  private RpcEnv env;
  private RpcEndpointRef echo;
  private RpcEndpointRef ordered;
  private Counter counter;
  private RpcEndpointRef counterRef;
  private final byte[] payload = new byte[16];

  static final class Echo extends RpcEndpoint {
    @Override
    public void receiveAndReply(Object message, RpcCallContext context) {
      context.reply(message);
    }
  }

  static final class OrderedEcho extends RpcEndpoint implements ThreadSafeRpcEndpoint {
    @Override
    public void receiveAndReply(Object message, RpcCallContext context) {
      context.reply(message);
    }
  }

  static final class Counter extends RpcEndpoint implements ThreadSafeRpcEndpoint {
    final AtomicLong seen = new AtomicLong();

    @Override
    public void receive(Object message) {
      seen.incrementAndGet();
    }

    @Override
    public void receiveAndReply(Object message, RpcCallContext context) {
      context.reply(seen.get());
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    env = RpcEnv.create(RpcEnvConfig.builder("dispatch-bench").conf(new RpcConf()).build());
    echo = env.setupEndpoint("echo", new Echo());
    ordered = env.setupEndpoint("ordered", new OrderedEcho());
    counter = new Counter();
    counterRef = env.setupEndpoint("counter", counter);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    env.close();
  }

  /** One local ask at a time, waiting for each reply (two thread hand-offs per ask). */
  @Benchmark
  public Object askSyncPlain() {
    return echo.askSync(payload);
  }

  /** 1,000 local asks in flight to a plain endpoint, then all replies awaited. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void askBatchPlain() {
    askBatch(echo);
  }

  /** 1,000 local asks in flight to a thread-safe (one message at a time) endpoint. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void askBatchThreadSafe() {
    askBatch(ordered);
  }

  /** 1,000 local one-way sends, then an ask that answers after all of them were handled. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long sendBatch() {
    for (int i = 0; i < BATCH; i++) {
      counterRef.send(payload);
    }
    return counterRef.<Long>askSync("count");
  }

  private void askBatch(RpcEndpointRef ref) {
    @SuppressWarnings("unchecked")
    CompletableFuture<Object>[] replies = new CompletableFuture[BATCH];
    for (int i = 0; i < BATCH; i++) {
      replies[i] = ref.ask(payload);
    }
    CompletableFuture.allOf(replies).join();
  }
}
