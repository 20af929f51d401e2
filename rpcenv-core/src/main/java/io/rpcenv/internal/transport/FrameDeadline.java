package io.rpcenv.internal.transport;

import java.time.Duration;

/**
 * The frame timeout (spark.rpc.io.frameTimeout) of one connection: how long reading has run since a
 * frame last completed, not counting the time this env paused reading for want of memory, which the
 * peer cannot help. Fed with the executor's clock at checks and when reading pauses or resumes,
 * never per frame. Event loop only.
 */
final class FrameDeadline {
  private final long timeoutNanos;

  /** Frames read when the last check ran. */
  private long framesAtLastCheck;

  private long lastCheckAt;

  /** Time reading ran since a frame last completed. */
  private long ranNanos;

  /** Time reading was paused since the last check, up to {@link #pausedAt}. */
  private long pausedNanos;

  private boolean paused;
  private long pausedAt;

  FrameDeadline(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
  }

  /** A frame begins to arrive, after {@code frames} frames read, at {@code now}. */
  void start(long frames, long now) {
    framesAtLastCheck = frames;
    lastCheckAt = now;
    ranNanos = 0;
    pausedNanos = 0;
    if (paused) {
      pausedAt = now;
    }
  }

  /** This env stopped reading at {@code now}. */
  void paused(long now) {
    paused = true;
    pausedAt = now;
  }

  /** This env reads again from {@code now}. */
  void resumed(long now) {
    if (paused) {
      paused = false;
      pausedNanos += now - pausedAt;
    }
  }

  /**
   * Checks at {@code now}, after {@code frames} frames read: whether reading has run for the whole
   * timeout without a frame completing.
   */
  boolean expired(long frames, long now) {
    if (paused) {
      pausedNanos += now - pausedAt;
      pausedAt = now;
    }
    long ran = Math.max(0, now - lastCheckAt - pausedNanos);
    lastCheckAt = now;
    pausedNanos = 0;
    if (frames != framesAtLastCheck) {
      framesAtLastCheck = frames;
      ranNanos = 0;
      return false;
    }
    ranNanos += ran;
    return ranNanos >= timeoutNanos;
  }
}
