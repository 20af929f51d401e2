package io.rpcenv.internal.transport;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with jitter, shared by connection attempts and lookups. The ceiling doubles
 * per retry up to 30 s, and each wait is drawn uniformly between a tenth of it and all of it, so
 * that many clients that lost the same peer at the same moment come back spread over the window
 * instead of together ("full jitter", with a floor so that no retry is immediate).
 */
public final class Backoff {
  private static final long MAX_MILLIS = Duration.ofSeconds(30).toMillis();

  private Backoff() {}

  /** Wait before retry number {@code attempt} (1-based). */
  public static long delayMillis(Duration base, int attempt) {
    return delayMillis(base, attempt, ThreadLocalRandom.current().nextDouble());
  }

  /** The same with the random draw given, {@code 0 <= random < 1}. */
  static long delayMillis(Duration base, int attempt, double random) {
    long ceiling = ceilingMillis(base, attempt);
    return Math.round(ceiling * (0.1 + 0.9 * random));
  }

  /** The longest wait before retry number {@code attempt}: base doubled per retry, at most 30 s. */
  static long ceilingMillis(Duration base, int attempt) {
    int doublings = Math.min(20, Math.max(0, attempt - 1));
    return Math.min(MAX_MILLIS, Math.max(0, base.toMillis()) << doublings);
  }
}
