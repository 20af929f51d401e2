package io.rpcenv.internal.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Histogram;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The asking side's metrics for one remote endpoint: how long its asks took, from the call to the
 * outcome, and how they ended.
 */
public final class AskMetrics {
  /** How an ask ended. */
  public enum Outcome {
    ANSWERED,
    FAILED,
    TIMED_OUT,
    CONNECTION_LOST,
    /** The caller aborted, cancelled or completed the future itself. */
    ABANDONED;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One ask in this many is timed (a power of two). */
  public static final int TIMING_SAMPLE = 16;

  final Histogram latency = new Histogram(new LogBuckets());
  final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);

  AskMetrics() {
    for (Outcome o : Outcome.values()) {
      outcomes.put(o, new Counter());
    }
  }

  /** System.nanoTime() for one ask in {@link #TIMING_SAMPLE} chosen at random, else 0. */
  public static long startIfSampled() {
    return ThreadLocalRandom.current().nextInt(TIMING_SAMPLE) == 0 ? System.nanoTime() | 1 : 0;
  }

  /**
   * An ask ended with {@code outcome}; {@code startNanos} is what {@link #startIfSampled} gave it
   * (0: not timed).
   */
  public void ended(long startNanos, Outcome outcome) {
    if (startNanos != 0) {
      latency.update(System.nanoTime() - startNanos);
    }
    outcomes.get(outcome).inc();
  }
}
