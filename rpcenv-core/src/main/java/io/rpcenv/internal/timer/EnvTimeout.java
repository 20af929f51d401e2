package io.rpcenv.internal.timer;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One timeout on an {@link EnvTimer}'s wheel: a node of its bucket's list (touched by the ticker
 * only) with a state any thread may change once.
 */
final class EnvTimeout implements Timeout {
  static final int WAITING = 0;
  static final int CANCELLED = 1;
  static final int EXPIRED = 2;

  private static final AtomicIntegerFieldUpdater<EnvTimeout> STATE =
      AtomicIntegerFieldUpdater.newUpdater(EnvTimeout.class, "state");

  private final EnvTimer timer;
  private final TimerTask task;
  final long deadline;
  private volatile int state = WAITING;

  // Ticker only: the bucket's list and the wheel turns left before the deadline's turn.
  long rounds;
  EnvTimeout next;
  EnvTimeout prev;
  Bucket bucket;

  EnvTimeout(EnvTimer timer, TimerTask task, long deadline) {
    this.timer = timer;
    this.task = task;
    this.deadline = deadline;
  }

  @Override
  public Timer timer() {
    return timer;
  }

  @Override
  public TimerTask task() {
    return task;
  }

  @Override
  public boolean isExpired() {
    return state == EXPIRED;
  }

  @Override
  public boolean isCancelled() {
    return state == CANCELLED;
  }

  @Override
  public boolean cancel() {
    if (!STATE.compareAndSet(this, WAITING, CANCELLED)) {
      return false;
    }
    timer.cancelled(this); // taken off its bucket at the next tick, so memory goes with it
    return true;
  }

  /** Runs the task unless it was cancelled first. Ticker only. */
  void expire() {
    if (STATE.compareAndSet(this, WAITING, EXPIRED)) {
      try {
        task.run(this);
      } catch (Throwable t) {
        EnvTimer.LOG.warn("A timer task of {} failed", timer, t);
      }
    }
  }

  /** A doubly linked list of timeouts: O(1) to add and to take one out. Ticker only. */
  static final class Bucket {
    private EnvTimeout head;
    private EnvTimeout tail;

    void add(EnvTimeout t) {
      t.bucket = this;
      if (head == null) {
        head = t;
        tail = t;
      } else {
        tail.next = t;
        t.prev = tail;
        tail = t;
      }
    }

    void remove(EnvTimeout t) {
      if (t.prev != null) {
        t.prev.next = t.next;
      } else {
        head = t.next;
      }
      if (t.next != null) {
        t.next.prev = t.prev;
      } else {
        tail = t.prev;
      }
      t.prev = null;
      t.next = null;
      t.bucket = null;
    }

    EnvTimeout head() {
      return head;
    }
  }
}
