package io.rpcenv.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * The client side of each workload, the same for every system. Sleeping here is the workload's
 * measurement window, not a wait for something to happen.
 */
public final class Workloads {
  static final int SMALL = 16;

  private Workloads() {}

  /** Runs {@code w} with clients made by {@code connect}; returns what it measured. */
  static Result run(Workload w, Params p, ClientSupplier connect, Ready ready) throws Exception {
    if (w.clients() > 0) {
      return fanIn(connect, p, ready);
    }
    BenchClient c = connect.get();
    ready.await();
    return switch (w) {
      case W1 -> oneAtATime(c, 1, new byte[SMALL], p);
      case W2 -> windowed(c, 64, 1, new byte[SMALL], p);
      case W3 -> oneWay(c, p);
      case W4, S1K, S64K, S1M, S64M -> large(c, w.size(), p);
      case W6 -> windowed(c, 64, p.endpoints(), new byte[SMALL], p);
      case W7R -> ObjectWindow.run(c, 64, com.example.bench.Orders::record, p);
      case W7C -> ObjectWindow.run(c, 64, com.example.bench.Orders::plain, p);
      case F1 -> fetch(c, p);
      case W5, N1, N8, N64, N512 -> throw new IllegalStateException("fan-in: " + w);
    };
  }

  /** Called once this JVM's clients are connected; returns when the workload may start. */
  @FunctionalInterface
  interface Ready {
    void await() throws Exception;
  }

  /** The name the servers serve the F1 file under, and its length. */
  public static final String FILE_NAME = "bench-file.bin";

  public static final long FILE_LENGTH = 1L << 30;

  /** Whole fetches for the measurement time (at least one) after one to warm up; MiB/s. */
  private static Result fetch(BenchClient c, Params p) throws Exception {
    try (c) {
      check(c.fetchFile());
      long start = System.nanoTime();
      long end = start + TimeUnit.MILLISECONDS.toNanos(p.measureMillis());
      long bytes = 0;
      do {
        bytes += check(c.fetchFile());
      } while (System.nanoTime() < end);
      return new Result(bytes / ((System.nanoTime() - start) / 1e9) / (1 << 20), null);
    }
  }

  private static long check(long fetched) {
    if (fetched != FILE_LENGTH) {
      throw new IllegalStateException("fetched " + fetched + " bytes of " + FILE_LENGTH);
    }
    return fetched;
  }

  /** Reads {@code ch} to its end and closes it; returns how many bytes it gave. */
  public static long drain(java.nio.channels.ReadableByteChannel ch) throws java.io.IOException {
    long n = 0;
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocateDirect(1 << 16);
    try (ch) {
      int r;
      while ((r = ch.read(buf)) >= 0) {
        n += r;
        buf.clear();
      }
    }
    return n;
  }

  /** Durations and sizes of a run. */
  public record Params(
      long warmupMillis, long measureMillis, int endpoints, int clients, int messages) {}

  /** Connects a new client. */
  @FunctionalInterface
  interface ClientSupplier {
    BenchClient get() throws Exception;
  }

  private static Result oneAtATime(BenchClient c, int endpoints, byte[] payload, Params p)
      throws Exception {
    try (c) {
      Histogram h = new Histogram(60_000_000L, 3);
      long warmEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(p.warmupMillis());
      while (System.nanoTime() < warmEnd) {
        check(c.ask(0, payload), payload.length);
      }
      long start = System.nanoTime();
      long end = start + TimeUnit.MILLISECONDS.toNanos(p.measureMillis());
      long n = 0;
      long now = start;
      while (now < end) {
        check(c.ask((int) (n % endpoints), payload), payload.length);
        long after = System.nanoTime();
        h.recordValue(Math.max(1, (after - now) / 1000));
        now = after;
        n++;
      }
      return new Result(n / ((now - start) / 1e9), h);
    }
  }

  private static Result windowed(BenchClient c, int window, int endpoints, byte[] payload, Params p)
      throws Exception {
    try (c) {
      AtomicLong completed = new AtomicLong();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      CountDownLatch drained = new CountDownLatch(window);
      long stopAt =
          System.nanoTime()
              + TimeUnit.MILLISECONDS.toNanos(p.warmupMillis() + p.measureMillis() + 50);
      for (int i = 0; i < window; i++) {
        new Chain(c, endpoints, payload, completed, failure, drained, stopAt, i).next();
      }
      Thread.sleep(p.warmupMillis());
      long c0 = completed.get();
      long t0 = System.nanoTime();
      Thread.sleep(p.measureMillis());
      long c1 = completed.get();
      long t1 = System.nanoTime();
      if (!drained.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("asks did not drain");
      }
      if (failure.get() != null) {
        throw new IllegalStateException("an ask failed", failure.get());
      }
      return new Result((c1 - c0) / ((t1 - t0) / 1e9), null);
    }
  }

  /** One of the window's slots: issues its next ask whenever its last one completes. */
  private record Chain(
      BenchClient c,
      int endpoints,
      byte[] payload,
      AtomicLong completed,
      AtomicReference<Throwable> failure,
      CountDownLatch drained,
      long stopAt,
      int slot) {
    void next() {
      int ep = (int) ((completed.get() + slot) % endpoints);
      c.askAsync(
          ep,
          payload,
          (reply, error) -> {
            if (error != null || reply == null || reply.length != payload.length) {
              failure.compareAndSet(
                  null, error != null ? error : new IllegalStateException("bad reply"));
              drained.countDown();
              return;
            }
            completed.incrementAndGet();
            if (System.nanoTime() < stopAt && failure.get() == null) {
              next();
            } else {
              drained.countDown();
            }
          });
    }
  }

  private static Result oneWay(BenchClient c, Params p) throws Exception {
    try (c) {
      byte[] payload = new byte[SMALL];
      for (int i = 0; i < p.messages() / 5; i++) { // warm-up
        c.send(payload);
      }
      long base = c.count();
      long start = System.nanoTime();
      for (int i = 0; i < p.messages(); i++) {
        c.send(payload);
      }
      long got = c.count();
      long end = System.nanoTime();
      if (got - base != p.messages()) {
        throw new IllegalStateException(
            "the server counted " + (got - base) + " of " + p.messages() + " messages");
      }
      return new Result(p.messages() / ((end - start) / 1e9), null);
    }
  }

  /** Asks of {@code size} bytes one at a time; MiB/s one way. */
  private static Result large(BenchClient c, int size, Params p) throws Exception {
    try (c) {
      byte[] payload = new byte[size];
      long warmEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(p.warmupMillis());
      while (System.nanoTime() < warmEnd) {
        check(c.ask(0, payload), size);
      }
      long start = System.nanoTime();
      long end = start + TimeUnit.MILLISECONDS.toNanos(p.measureMillis());
      long n = 0;
      long now = start;
      while (now < end) {
        check(c.ask(0, payload), size);
        n++;
        now = System.nanoTime();
      }
      return new Result(n * (size / (1024.0 * 1024.0)) / ((now - start) / 1e9), null);
    }
  }

  /** {@code p.clients()} clients in this JVM, each asking one at a time on its own thread. */
  private static Result fanIn(ClientSupplier connect, Params p, Ready ready) throws Exception {
    List<BenchClient> clients = new ArrayList<>();
    for (int i = 0; i < p.clients(); i++) {
      clients.add(connect.get());
    }
    ready.await();
    List<Thread> threads = new ArrayList<>();
    List<Result> results = new ArrayList<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (BenchClient c : clients) {
      Thread t =
          new Thread(
              () -> {
                try {
                  Result r = oneAtATime(c, 1, new byte[SMALL], p);
                  synchronized (results) {
                    results.add(r);
                  }
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                }
              });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a fan-in client failed", failure.get());
    }
    Histogram all = new Histogram(60_000_000L, 3);
    double rate = 0;
    for (Result r : results) {
      rate += r.rate();
      all.add(r.latencyMicros());
    }
    return new Result(rate, all);
  }

  private static void check(byte[] reply, int expected) {
    if (reply == null || reply.length != expected) {
      throw new IllegalStateException(
          "expected an echo of "
              + expected
              + " bytes, got "
              + (reply == null ? "null" : reply.length));
    }
  }
}
