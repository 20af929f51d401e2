package io.rpcenv.internal.timer;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import io.netty.util.internal.PlatformDependent;
import java.util.HashSet;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One env's timeouts: a hashed wheel of {@value #WHEEL} buckets of {@link #TICK_NANOS} that the
 * process-wide {@link TimerTicker} turns, instead of a thread per env that wakes every tick whether
 * or not anything waits (a process with hundreds of envs spent a sixth of a core on that). Adding
 * and cancelling a timeout is a queue offer from any thread, as with Netty's HashedWheelTimer;
 * {@link #stop()} hands back what was still waiting, so the env can fail those asks at once.
 */
public final class EnvTimer implements Timer {
  static final Logger LOG = LoggerFactory.getLogger(EnvTimer.class);

  /** Timeouts are coarse (seconds): a tick of 10 ms is plenty. */
  static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  static final int WHEEL = 512;

  private final String name;
  private final Queue<EnvTimeout> added = PlatformDependent.newMpscQueue();
  private final Queue<EnvTimeout> cancelled = PlatformDependent.newMpscQueue();
  private final EnvTimeout.Bucket[] buckets = new EnvTimeout.Bucket[WHEEL];
  private final LongSupplier clock;
  private final long start;

  /** The tick whose bucket is turned next; the ticker's, under {@code this}. */
  private long tick;

  /** Timeouts on the buckets; under {@code this}. */
  private int onWheel;

  private volatile boolean stopped;

  /** A timer named after its env, turned by the shared ticker from now on. */
  public EnvTimer(String name) {
    this(name, System::nanoTime, true);
  }

  /**
   * With {@code clock} as the time; turned by the ticker only if {@code ticked} (tests turn it).
   */
  EnvTimer(String name, LongSupplier clock, boolean ticked) {
    this.name = name;
    this.clock = clock;
    this.start = clock.getAsLong();
    for (int i = 0; i < WHEEL; i++) {
      buckets[i] = new EnvTimeout.Bucket();
    }
    if (ticked) {
      TimerTicker.register(this);
    }
  }

  @Override
  public Timeout newTimeout(TimerTask task, long delay, TimeUnit unit) {
    if (stopped) {
      throw new IllegalStateException("the timer of " + name + " cannot be started once stopped");
    }
    EnvTimeout t =
        new EnvTimeout(this, task, clock.getAsLong() - start + Math.max(0, unit.toNanos(delay)));
    added.add(t);
    return t;
  }

  void cancelled(EnvTimeout t) {
    cancelled.add(t);
  }

  /** Turns the wheel up to {@code now}: expired timeouts run here. Ticker only. */
  synchronized void advance(long now) {
    if (stopped) {
      return;
    }
    long due = (now - start) / TICK_NANOS;
    if (onWheel == 0 && added.isEmpty()) {
      tick = Math.max(tick, due + 1); // nothing waits: an idle env costs a glance per tick
      cancelled.clear();
      return;
    }
    for (EnvTimeout t; (t = cancelled.poll()) != null; ) {
      if (t.bucket != null) {
        t.bucket.remove(t);
        onWheel--;
      }
    }
    for (EnvTimeout t; (t = added.poll()) != null; ) {
      if (t.isCancelled()) {
        continue;
      }
      // The first tick at or after the deadline (never early); a late one goes in the next bucket.
      long at = Math.max((t.deadline + TICK_NANOS - 1) / TICK_NANOS, tick);
      t.rounds = (at - tick) / WHEEL;
      buckets[(int) (at % WHEEL)].add(t);
      onWheel++;
    }
    for (; tick <= due; tick++) {
      EnvTimeout.Bucket b = buckets[(int) (tick % WHEEL)];
      EnvTimeout t = b.head();
      while (t != null) {
        EnvTimeout next = t.next;
        if (t.rounds <= 0) {
          b.remove(t);
          onWheel--;
          t.expire();
        } else {
          t.rounds--;
        }
        t = next;
      }
    }
  }

  /** Stops the timer; returns the timeouts that were still waiting, none of which will run. */
  @Override
  public synchronized Set<Timeout> stop() {
    stopped = true;
    TimerTicker.unregister(this);
    Set<Timeout> waiting = new HashSet<>();
    for (EnvTimeout.Bucket b : buckets) {
      for (EnvTimeout t = b.head(); t != null; t = t.next) {
        if (!t.isCancelled()) {
          waiting.add(t);
        }
      }
    }
    for (EnvTimeout t; (t = added.poll()) != null; ) {
      if (!t.isCancelled()) {
        waiting.add(t);
      }
    }
    cancelled.clear();
    return waiting;
  }

  @Override
  public String toString() {
    return name;
  }
}
