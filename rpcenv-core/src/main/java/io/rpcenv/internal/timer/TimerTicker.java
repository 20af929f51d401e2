package io.rpcenv.internal.timer;

import io.rpcenv.internal.dispatch.RpcThread;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread that turns every env's {@link EnvTimer}, every {@link EnvTimer#TICK_NANOS}: made
 * when the first env starts, gone when the last one stops. Expired timeouts run on it, as they ran
 * on each env's own timer thread before: they must be short (failing a future, logging a stall).
 */
final class TimerTicker implements Runnable {
  private static final List<EnvTimer> TIMERS = new CopyOnWriteArrayList<>();
  private static Thread thread; // guarded by TimerTicker.class

  private TimerTicker() {}

  static synchronized void register(EnvTimer t) {
    TIMERS.add(t);
    if (thread == null) {
      thread = RpcThread.factory("rpcenv-timer", null, false).newThread(new TimerTicker());
      thread.setDaemon(true);
      thread.start();
    }
  }

  static synchronized void unregister(EnvTimer t) {
    TIMERS.remove(t);
    // The thread sees the list empty and ends; the next env to start makes a new one.
  }

  private static synchronized boolean idle(Thread self) {
    if (TIMERS.isEmpty() && thread == self) {
      thread = null;
      return true;
    }
    return false;
  }

  @Override
  public void run() {
    Thread self = Thread.currentThread();
    long next = System.nanoTime() + EnvTimer.TICK_NANOS;
    while (!idle(self)) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(this, wait);
        continue; // woken early (or spuriously): wait out the rest of the tick
      }
      long now = System.nanoTime();
      for (EnvTimer t : TIMERS) {
        t.advance(now);
      }
      // A fixed rate, without bursts after a pause: the wheels catch up by their own clocks.
      next = Math.max(next + EnvTimer.TICK_NANOS, now + EnvTimer.TICK_NANOS / 2);
    }
  }
}
