package io.rpcenv.internal.transport;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replies and failures that arrive for asks no longer waiting (they timed out or were aborted). The
 * first is logged at once with its ask's id; the ones after it are counted and summed up in one
 * line per interval, so 10,000 asks timing out together make two lines, not 10,000. Event loop
 * only.
 */
final class LateReplies {
  private static final Logger LOG = LoggerFactory.getLogger(LateReplies.class);
  static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Connection connection;
  private long counted;
  private long lastLine;
  private boolean logged;

  LateReplies(Connection connection) {
    this.connection = connection;
  }

  /** A {@code kind} ("reply" or "failure") arrived for ask {@code id}, which no longer waits. */
  void arrived(String kind, long id) {
    long now = System.nanoTime(); // only on this path, which the asks that still wait never take
    if (!logged || (counted == 0 && now - lastLine >= INTERVAL_NANOS)) {
      logged = true;
      lastLine = now;
      LOG.warn(
          "Ignoring {} for ask #{} from {}: it is no longer outstanding (it timed out or was"
              + " aborted); more such are counted and reported every {} s",
          kind,
          id,
          connection.peerAddress(),
          TimeUnit.NANOSECONDS.toSeconds(INTERVAL_NANOS));
      return;
    }
    counted++;
    flushIfDue(now);
  }

  /**
   * Reports what was counted if an interval has passed since the last line (the keepalive looks
   * often).
   */
  void flushIfDue(long now) {
    if (counted > 0 && now - lastLine >= INTERVAL_NANOS) {
      flush(now);
    }
  }

  /** Reports what was counted, whatever the time (the connection closes). */
  void flush(long now) {
    if (counted > 0) {
      LOG.warn(
          "Ignored {} more replies and failures from {} for asks that had timed out or been"
              + " aborted, in the last {} s",
          counted,
          connection.peerAddress(),
          TimeUnit.NANOSECONDS.toSeconds(now - lastLine));
      counted = 0;
      lastLine = now;
    }
  }
}
