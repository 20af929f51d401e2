package io.rpcenv.internal.transport;

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
 * one frame, plus at most one socket read per connection.
 */
final class FrameBudget {
  private final long limit;
  private final AtomicLong used = new AtomicLong();

  /** The one holder allowed beyond the budget until its frame is whole, or null. */
  private final AtomicReference<Object> overdraft = new AtomicReference<>();

  /** What to run when memory frees up: each resumes a connection that waits, on its event loop. */
  private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

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

  /** Runs {@code resume} once memory frees up (at once if it already has). */
  void await(Runnable resume) {
    waiting.add(resume);
    wakeIfRoom(); // memory may have freed between the refusal and now
  }

  /** Gives back everything {@code holder} was charged, which it no longer holds. */
  void release(Object holder, long charged) {
    overdraft.compareAndSet(holder, null);
    if (charged != 0) {
      used.addAndGet(-charged);
    }
    wakeIfRoom();
  }

  private void wakeIfRoom() {
    if (used.get() < limit || overdraft.get() == null) {
      Runnable r;
      while ((r = waiting.poll()) != null) {
        r.run();
      }
    }
  }
}
