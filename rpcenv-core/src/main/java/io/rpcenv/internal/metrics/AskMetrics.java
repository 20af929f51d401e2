package io.rpcenv.internal.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Histogram;
import java.util.EnumMap;
import java.util.Map;

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

  final Histogram latency = new Histogram(new LogBuckets());
  final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);

  AskMetrics() {
    for (Outcome o : Outcome.values()) {
      outcomes.put(o, new Counter());
    }
  }

  /** An ask begun at {@code startNanos} (System.nanoTime) ended with {@code outcome}. */
  public void ended(long startNanos, Outcome outcome) {
    latency.update(System.nanoTime() - startNanos);
    outcomes.get(outcome).inc();
  }
}
