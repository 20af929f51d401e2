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
 * when what it needs can be had, so none spins through pause and resume while memory is short; the
 * overdraft is handed to the first waiter that needs it, and passes on when its holder completes a
 * large frame while others wait, so a connection streaming large frames cannot keep it for good.
 */
final class FrameBudget {
  private final long limit;
  private final AtomicLong used = new AtomicLong();

  /** The one holder allowed beyond the budget until its frame is whole, or null. */
  private final AtomicReference<Object> overdraft = new AtomicReference<>();

  /** Connections that wait for memory, first come first. */
  private final Queue<Waiter> waiting = new ConcurrentLinkedQueue<>();

  /**
   * A connection that waits: the holder, the bytes it needs beyond what it holds, whether it is in
   * the middle of a frame (only then may it be handed the overdraft), and what resumes it (on its
   * event loop).
   */
  private record Waiter(Object holder, long need, boolean midFrame, Runnable resume) {}

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
   * Runs {@code resume} once {@code need} more bytes fit within the budget, or the overdraft has
   * been handed to {@code holder}, which is in the middle of a frame (at once if either can be had
   * already). {@link #release} forgets the wait; a holder resumed when it no longer waits must
   * {@link #disown} the overdraft.
   */
  void await(Object holder, long need, Runnable resume) {
    waiting.add(new Waiter(holder, need, true, resume));
    wakeIfRoom(); // memory may have freed between the refusal and now
  }

  /**
   * Runs {@code resume} once the memory used is within the budget, for a holder between frames,
   * which has no frame to finish beyond it and so is never handed the overdraft.
   */
  void awaitUnderBudget(Object holder, Runnable resume) {
    waiting.add(new Waiter(holder, 0, false, resume));
    wakeIfRoom();
  }

  /**
   * {@code holder} completed a large frame: if it held the overdraft and others wait, the overdraft
   * passes on to one of them.
   */
  void frameDone(Object holder) {
    if (overdraft.get() == holder && !waiting.isEmpty()) {
      disown(holder);
    }
  }

  /** Gives up the overdraft if {@code holder} has it, and passes it on to a waiter. */
  void disown(Object holder) {
    if (overdraft.compareAndSet(holder, null)) {
      wakeIfRoom();
    }
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
   * Wakes, in the order they came, the waiters whose need fits, and hands the overdraft, if it is
   * free, to the first in the middle of a frame whose need does not. A woken waiter that loses the
   * race for the memory waits again; one whose need does not fit is left alone, so it cannot resume
   * only to be refused again.
   */
  private void wakeIfRoom() {
    // The concurrent queue's iterator tolerates removals (and re-adds) while it runs
    for (Iterator<Waiter> it = waiting.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (used.get() + w.need() <= limit) {
        if (waiting.remove(w)) { // remove: exactly one thread resumes it
          w.resume().run();
        }
      } else if (w.midFrame() && overdraft.get() == null && waiting.remove(w)) {
        if (overdraft.compareAndSet(null, w.holder())) {
          w.resume().run();
        } else {
          waiting.add(w); // taken meanwhile by a connection reading: wait for it to pass on
        }
      }
    }
  }
}
