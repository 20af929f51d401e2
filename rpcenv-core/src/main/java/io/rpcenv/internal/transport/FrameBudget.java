package io.rpcenv.internal.transport;

import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The memory one env holds for frames still arriving, over all its connections
 * (spark.rpc.io.frameBudget). Each connection charges what it buffers as the bytes arrive, never on
 * a frame header's word. A connection that would go beyond the budget is not read until memory
 * frees up, with one exception that keeps the env from locking up when every connection waits with
 * half a frame: one connection at a time may finish its frame beyond the budget (the overdraft), so
 * the largest allowed message always gets through. Memory is therefore bounded by the budget plus
 * one frame, plus at most one socket read per connection. A connection that waits is woken only
 * when what it needs can be had, so none spins through pause and resume while memory is short.
 */
final class FrameBudget {
  private final long limit;
  private final AtomicLong used = new AtomicLong();

  /** The one holder allowed beyond the budget until its frame is whole, or null. */
  private final AtomicReference<Object> overdraft = new AtomicReference<>();

  /** Connections that wait for memory, first come first. */
  private final Queue<Waiter> waiting = new ConcurrentLinkedQueue<>();

  /**
   * A connection that waits: the holder, the bytes it needs beyond what it holds, and what resumes
   * it (on its event loop).
   */
  private record Waiter(Object holder, long need, Runnable resume) {}

  FrameBudget(long limit) {
    this.limit = limit;
  }

  long limit() {
    return limit;
  }

  /** Bytes charged now, over all connections. */
  long used() {
    return used.get();
  }

  /**
   * Charges {@code delta} bytes (negative: returns them) to {@code holder}, which holds a frame
   * still arriving when {@code midFrame}. Returns whether the holder may go on reading; if not, it
   * should stop and {@link #await} memory.
   */
  boolean charge(Object holder, long delta, boolean midFrame) {
    long now = used.addAndGet(delta);
    if (!midFrame) {
      overdraft.compareAndSet(holder, null);
    }
    if (delta < 0 && !waiting.isEmpty()) {
      wakeIfRoom();
    }
    if (now <= limit || overdraft.get() == holder) {
      return true;
    }
    return midFrame && overdraft.compareAndSet(null, holder);
  }

  /**
   * Takes {@code bytes} for {@code holder}, which holds a frame still arriving, before it allocates
   * them; false, with nothing taken, if the budget (and the overdraft) refuse.
   */
  boolean tryReserve(Object holder, long bytes) {
    long now = used.addAndGet(bytes);
    if (now <= limit || overdraft.get() == holder || overdraft.compareAndSet(null, holder)) {
      return true;
    }
    used.addAndGet(-bytes);
    return false;
  }

  /**
   * Runs {@code resume} once {@code need} more bytes fit within the budget, or the overdraft is
   * free for {@code holder} to take (at once if either holds already). Use 0 for a holder that only
   * waits to be under the budget again. {@link #release} forgets the wait.
   */
  void await(Object holder, long need, Runnable resume) {
    waiting.add(new Waiter(holder, need, resume));
    wakeIfRoom(); // memory may have freed between the refusal and now
  }

  /**
   * Gives back everything {@code holder} was charged, which it no longer holds, and forgets its
   * wait, so that a connection gone is never the one offered the overdraft.
   */
  void release(Object holder, long charged) {
    if (!waiting.isEmpty()) {
      waiting.removeIf(w -> w.holder() == holder);
    }
    overdraft.compareAndSet(holder, null);
    if (charged != 0) {
      used.addAndGet(-charged);
    }
    wakeIfRoom();
  }

  /**
   * Wakes, in the order they came, the waiters whose need fits, and one more for the overdraft if
   * it is free. A woken waiter that loses the race for the memory waits again; one whose need does
   * not fit is left alone, so it cannot resume only to be refused again.
   */
  private void wakeIfRoom() {
    boolean overdraftOffered = false;
    for (Iterator<Waiter> it = waiting.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      boolean fits = used.get() + w.need() <= limit;
      boolean offer = !fits && !overdraftOffered && overdraft.get() == null;
      if ((fits || offer) && waiting.remove(w)) { // remove: exactly one thread resumes it
        overdraftOffered |= offer;
        w.resume().run();
      }
    }
  }
}
