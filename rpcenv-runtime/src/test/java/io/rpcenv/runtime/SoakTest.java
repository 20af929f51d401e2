package io.rpcenv.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.internal.PlatformDependent;
import io.rpcenv.RpcConf;
import io.rpcenv.runtime.cli.RpcenvCli;
import io.rpcenv.runtime.fixtures.SoakPlugin;
import io.rpcenv.testkit.ChildJvm;
import io.rpcenv.testkit.HeapAfterGc;
import io.rpcenv.testkit.ReadmeSection;
import io.rpcenv.testkit.Resources;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The soak: a driver in this JVM, three executor processes asking and sending to it without pause
 * and flooding a slow driver plugin, the driver asking them back, every 20 s the oldest executor
 * killed with SIGKILL and a new one started, and once, at 40% of the run, the whole driver process
 * stopped (SIGSTOP) for 12 s, past the 10 s network timeout: no executor may be expired. Every 30 s
 * (more often in runs under four minutes) the driver's heap after GC, direct memory, threads and
 * open file descriptors are sampled; at the end they must be where they were after warm-up. Not in
 * the default build: {@code mvn -B -Psoak verify -Dsoak.minutes=10} (add {@code -Dsoak.record=true}
 * to write the figures into {@code docs/RELIABILITY.md}).
 */
@Tag("soak")
class SoakTest {
  @RegisterExtension final Resources resources = new Resources();

  private static final int EXECUTORS = 3;
  private static final Duration KILL_EVERY = Duration.ofSeconds(20);

  record Sample(
      long elapsedSeconds,
      long heap,
      long direct,
      int threads,
      long fds,
      long asks,
      long ticks,
      long killed,
      long driverAsks) {
    String row() {
      return String.format(
          Locale.ROOT,
          "| %d:%02d | %.1f | %.1f | %d | %d | %,d | %,d | %d | %,d |%n",
          elapsedSeconds / 60,
          elapsedSeconds % 60,
          heap / 1048576.0,
          direct / 1048576.0,
          threads,
          fds,
          asks,
          ticks,
          killed,
          driverAsks);
    }
  }

  private final Deque<ChildJvm> live = new ArrayDeque<>();
  private final List<ChildJvm> all = new ArrayList<>();
  private int nextId = 1;

  private synchronized void startExecutor(String url) throws IOException {
    ChildJvm e =
        ChildJvm.start(
            "executor-" + nextId,
            RpcenvCli.class,
            Map.of(),
            "executor",
            "--driver",
            url,
            "--id",
            String.valueOf(nextId++));
    live.addLast(e);
    all.add(e);
  }

  @Test
  void executorsKilledAndRestartedUnderLoadLeaveNothingBehind() throws Exception {
    long minutes = Long.getLong("soak.minutes", 10);
    // every 30 s, or often enough for eight samples in a short run
    Duration sampleEvery = Duration.ofSeconds(Math.max(5, Math.min(30, minutes * 60 / 8)));
    RpcConf conf =
        new RpcConf()
            .set("spark.ui.port", "0")
            .set("spark.plugins", SoakPlugin.class.getName())
            .set("spark.executor.heartbeatInterval", "1s")
            .set("spark.network.timeout", "10s")
            // connections outlive the driver's pause (a peer silent past this is dead to the other
            // side)
            .set("spark.rpc.io.connectionTimeout", "30s")
            // what the flood may hold per executor while the driver plugin is behind
            .set("spark.rpc.outbox.maxBytes", "8m")
            .set("spark.rpc.message.maxSize", "1");
    Driver driver = resources.add(Driver.start(conf));
    for (int i = 0; i < EXECUTORS; i++) {
      startExecutor(driver.url());
    }
    assertThat(driver.awaitExecutors(EXECUTORS, Duration.ofSeconds(120))).isTrue();

    AtomicLong killed = new AtomicLong();
    AtomicLong driverAsksOk = new AtomicLong();
    AtomicLong driverAsksFailed = new AtomicLong();
    List<Sample> samples = new java.util.concurrent.CopyOnWriteArrayList<>();
    long start = System.nanoTime();
    ScheduledExecutorService chaos = Executors.newScheduledThreadPool(2);
    CountDownLatch over = new CountDownLatch(1);
    List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    try {
      chaos.scheduleAtFixedRate(
          guarded(
              errors,
              over,
              () -> {
                ChildJvm oldest;
                synchronized (this) {
                  oldest = live.pollFirst();
                }
                oldest.kill(); // SIGKILL
                killed.incrementAndGet();
                startExecutor(driver.url());
              }),
          KILL_EVERY.toMillis(),
          KILL_EVERY.toMillis(),
          TimeUnit.MILLISECONDS);
      chaos.scheduleAtFixedRate(
          guarded(
              errors,
              over,
              () -> {
                for (var e : driver.executors()) {
                  SoakPlugin.driver
                      .askExecutorAsync(e.executorId(), "hello " + e.executorId())
                      .whenComplete(
                          (r, t) -> {
                            (t == null ? driverAsksOk : driverAsksFailed).incrementAndGet();
                          });
                }
              }),
          100,
          100,
          TimeUnit.MILLISECONDS);
      chaos.scheduleAtFixedRate(
          guarded(errors, over, () -> samples.add(sample(start, killed, driverAsksOk))),
          sampleEvery.toMillis(),
          sampleEvery.toMillis(),
          TimeUnit.MILLISECONDS);
      chaos.schedule(
          guarded(errors, over, SoakTest::pauseThisProcess),
          minutes * 60 * 4 / 10,
          TimeUnit.SECONDS);
      over.await(minutes, TimeUnit.MINUTES); // the soak's length, or until something fails
    } finally {
      chaos.shutdown(); // no new rounds; the ones under way finish
      if (!chaos.awaitTermination(120, TimeUnit.SECONDS)) {
        chaos.shutdownNow();
      }
    }
    assertThat(errors).isEmpty();
    assertThat(SoakPlugin.REMOVED)
        .as("executors removed other than by being killed")
        .noneMatch(r -> r.contains("heartbeat timed out"));
    for (ChildJvm e : all) {
      assertThat(e.lines())
          .as("executor output")
          .noneMatch(l -> l.startsWith("SOAK-WRONG") || l.contains("LEAK"));
    }
    driver.shutdown();
    synchronized (this) {
      for (ChildJvm e : live) {
        e.waitFor(Duration.ofSeconds(60));
      }
    }
    report(samples, minutes, killed.get(), driverAsksOk.get(), driverAsksFailed.get());
    assertFlat(samples);
  }

  /** Stops this whole JVM (the driver) for 12 s with SIGSTOP, from a shell that then resumes it. */
  private static void pauseThisProcess() throws Exception {
    long pid = ProcessHandle.current().pid();
    Process p =
        new ProcessBuilder(
                "sh", "-c", "sleep 0.2; kill -STOP " + pid + "; sleep 12; kill -CONT " + pid)
            .inheritIO()
            .start();
    assertThat(p.waitFor()).isZero();
    pauses.incrementAndGet();
  }

  private static final AtomicLong pauses = new AtomicLong();

  /** Runs {@code r}; a failure is kept and ends the soak early. */
  private static Runnable guarded(List<Throwable> errors, CountDownLatch over, ThrowingRunnable r) {
    return () -> {
      try {
        r.run();
      } catch (Throwable t) {
        errors.add(t);
        over.countDown();
      }
    };
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  private static Sample sample(long start, AtomicLong killed, AtomicLong driverAsks)
      throws Exception {
    long heap = HeapAfterGc.measure(3);
    long fds;
    try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
      fds = s.count();
    }
    return new Sample(
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start),
        heap,
        PlatformDependent.usedDirectMemory(),
        ManagementFactory.getThreadMXBean().getThreadCount(),
        fds,
        SoakPlugin.ASKS.get(),
        SoakPlugin.TICKS.get(),
        killed.get(),
        driverAsks.get());
  }

  /**
   * The last sample is within bounds of the highest of the first half (after the first, warm-up,
   * sample).
   */
  private static void assertFlat(List<Sample> samples) {
    assertThat(samples)
        .as("at least four samples (run for two minutes or more)")
        .hasSizeGreaterThanOrEqualTo(4);
    List<Sample> steady = samples.subList(1, samples.size());
    List<Sample> firstHalf = steady.subList(0, Math.max(1, steady.size() / 2));
    Sample last = steady.get(steady.size() - 1);
    long heap = firstHalf.stream().mapToLong(Sample::heap).max().orElseThrow();
    long direct = firstHalf.stream().mapToLong(Sample::direct).max().orElseThrow();
    int threads = firstHalf.stream().mapToInt(Sample::threads).max().orElseThrow();
    long fds = firstHalf.stream().mapToLong(Sample::fds).max().orElseThrow();
    assertThat(last.heap()).as("heap after GC").isLessThanOrEqualTo(heap + (24L << 20));
    assertThat(last.direct()).as("direct memory").isLessThanOrEqualTo(direct + (16L << 20));
    assertThat(last.threads()).as("threads").isLessThanOrEqualTo(threads + 4);
    assertThat(last.fds()).as("open file descriptors").isLessThanOrEqualTo(fds + 16);
    assertThat(last.asks())
        .as("asks kept flowing")
        .isGreaterThan(samples.get(samples.size() - 2).asks());
  }

  private static void report(
      List<Sample> samples, long minutes, long killed, long driverOk, long driverFailed)
      throws IOException {
    StringBuilder sb = new StringBuilder();
    Sample last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
    sb.append(
        String.format(
            Locale.ROOT,
            "Run %s, %d minutes, `mvn -B -Psoak verify -Dsoak.minutes=%d`, on %d cores; %d executor"
                + " processes killed with SIGKILL and replaced; asks answered by the driver %,d,"
                + " one-way messages %,d; driver-to-executor asks %,d answered, %,d failed (to"
                + " executors being killed); a slow driver plugin (100 us a message) flooded by"
                + " every executor handled %,d messages; the driver process was stopped with"
                + " SIGSTOP for 12 s (network timeout 10 s) %d time(s) and expired no"
                + " executor.%n%n",
            Instant.now(),
            minutes,
            minutes,
            Runtime.getRuntime().availableProcessors(),
            killed,
            last == null ? 0 : last.asks(),
            last == null ? 0 : last.ticks(),
            driverOk,
            driverFailed,
            SoakPlugin.FLOODED.get(),
            pauses.get()));
    sb.append(
        "| Time | Heap after GC (MiB) | Netty direct (MiB) | Threads | Open fds | Asks answered |"
            + " One-way messages | Executors killed | Driver asks answered |\n"
            + "|---|---|---|---|---|---|---|---|---|\n");
    samples.forEach(s -> sb.append(s.row()));
    String text = sb.toString();
    System.out.println(text);
    Files.writeString(Path.of("target", "soak-report.md"), text);
    if (Boolean.getBoolean("soak.record")) {
      ReadmeSection.replace(Path.of("..", "docs", "RELIABILITY.md"), "soak:results", text);
    }
  }
}
