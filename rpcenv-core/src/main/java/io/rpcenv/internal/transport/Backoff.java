package io.rpcenv.internal.transport;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential back-off with jitter, shared by connection attempts and lookups. */
public final class Backoff {
  private static final long MAX_MILLIS = Duration.ofSeconds(30).toMillis();

  private Backoff() {}

  /** Wait before retry number {@code attempt} (1-based): base doubling per retry, at most 30 s, ±20%. */
  public static long delayMillis(Duration base, int attempt) {
    long wait = Math.min(MAX_MILLIS, base.toMillis() << Math.min(20, Math.max(0, attempt - 1)));
    return Math.max(0, Math.round(wait * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble())));
  }
}
