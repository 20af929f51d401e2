package io.rpcenv.bench.harness;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;

/**
 * A window of object asks (W7): {@code window} slots, each asking again as soon as its echo
 * arrives, every message a new object made by {@code messages} (so serialization is measured, not a
 * cache), every echo checked. Sleeping here is the measurement window.
 */
final class ObjectWindow {
  private ObjectWindow() {}

  static Result run(BenchClient c, int window, LongFunction<Object> messages, Workloads.Params p)
      throws Exception {
    try (c) {
      AtomicLong completed = new AtomicLong();
      AtomicLong issued = new AtomicLong();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      CountDownLatch drained = new CountDownLatch(window);
      long stopAt =
          System.nanoTime()
              + TimeUnit.MILLISECONDS.toNanos(p.warmupMillis() + p.measureMillis() + 50);
      for (int i = 0; i < window; i++) {
        next(c, messages, issued, completed, failure, drained, stopAt);
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

  private static void next(
      BenchClient c,
      LongFunction<Object> messages,
      AtomicLong issued,
      AtomicLong completed,
      AtomicReference<Throwable> failure,
      CountDownLatch drained,
      long stopAt) {
    long n = issued.getAndIncrement();
    c.askObjectAsync(
        messages.apply(n),
        (reply, error) -> {
          if (error != null || !com.example.bench.Orders.isEchoOf(reply, n)) {
            failure.compareAndSet(
                null, error != null ? error : new IllegalStateException("bad reply " + reply));
            drained.countDown();
            return;
          }
          completed.incrementAndGet();
          if (System.nanoTime() < stopAt && failure.get() == null) {
            next(c, messages, issued, completed, failure, drained, stopAt);
          } else {
            drained.countDown();
          }
        });
  }
}
