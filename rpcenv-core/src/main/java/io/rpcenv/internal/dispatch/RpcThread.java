package io.rpcenv.internal.dispatch;

import io.netty.util.concurrent.FastThreadLocalThread;
import io.rpcenv.internal.metrics.EndpointMetrics;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread owned by one env: an I/O event-loop thread or a dispatcher thread. Knowing the owner and
 * the role lets blocking calls detect that they would block an I/O thread or wait for work that
 * only the calling thread could do.
 */
public final class RpcThread extends FastThreadLocalThread {
  private static final VarHandle INBOX;
  private static final VarHandle SEQ;
  private static final VarHandle LIFECYCLE;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      INBOX = lookup.findVarHandle(RpcThread.class, "currentInbox", Object.class);
      SEQ = lookup.findVarHandle(RpcThread.class, "messageSeq", long.class);
      LIFECYCLE = lookup.findVarHandle(RpcThread.class, "lifecycle", String.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Object owner;
  private final boolean io;

  /*
   * What this thread runs, for askSync's self-wait check (on this thread) and for the stall watch
   * (on another). Written only by this thread, with opaque stores: no fence. Per message only a
   * long is stored, never a reference, because a reference store into this long-lived object costs
   * a garbage collector barrier with a fence (G1); the inbox reference changes once per batch.
   */
  @SuppressWarnings("UnusedVariable") // read and written through INBOX
  private Object currentInbox;

  /** Odd while endpoint code runs: incremented when a message starts and when it ends. */
  private long messageSeq;

  /** "onStart" or "onStop" while one runs, else null. */
  @SuppressWarnings("UnusedVariable") // read and written through LIFECYCLE
  private String lifecycle;

  private RpcThread(Runnable task, String name, Object owner, boolean io) {
    super(task, name);
    this.owner = owner;
    this.io = io;
    setDaemon(true);
  }

  /** The env (or other owner) this thread belongs to. */
  public Object owner() {
    return owner;
  }

  /** Whether this is a network I/O thread, which must never block. */
  public boolean isIo() {
    return io;
  }

  /**
   * The inbox this thread is draining, or last drained (then {@link #messageSeq()} is even); or
   * null.
   */
  public Object currentInbox() {
    return INBOX.getOpaque(this);
  }

  public void currentInbox(Object inbox) {
    INBOX.setOpaque(this, inbox);
  }

  /** Messages this thread handled: which of them to time. This thread only. */
  private int handled;

  /**
   * Whether {@code thread} (the caller; null if it is not one of ours) should time the message it
   * is about to handle: every {@link EndpointMetrics#TIMING_SAMPLE}th one it handles, or one in
   * that many at random on other threads.
   */
  static boolean timeNext(RpcThread thread) {
    int sample = EndpointMetrics.TIMING_SAMPLE;
    return thread != null
        ? (thread.handled++ & (sample - 1)) == 0
        : ThreadLocalRandom.current().nextInt(sample) == 0;
  }

  /**
   * Marks the start of endpoint code for one message of {@link #currentInbox()}; called by this
   * thread only.
   */
  public void beginMessage() {
    SEQ.setOpaque(this, messageSeq + 1);
  }

  /** Marks the end of the endpoint code begun by {@link #beginMessage}. */
  public void endMessage() {
    SEQ.setOpaque(this, messageSeq + 1);
  }

  /** As {@link #beginMessage()}, for the lifecycle callback {@code what} ("onStart", "onStop"). */
  public void beginLifecycle(String what) {
    LIFECYCLE.setOpaque(this, what);
    beginMessage();
  }

  /** Marks the end of the callback begun by {@link #beginLifecycle}. */
  public void endLifecycle() {
    endMessage();
    LIFECYCLE.setOpaque(this, (String) null);
  }

  /**
   * Counts starts and ends of endpoint code on this thread: odd while some runs; read by the stall
   * watch.
   */
  public long messageSeq() {
    return (long) SEQ.getOpaque(this);
  }

  /** The lifecycle callback running, or null for a message (or nothing). */
  public String lifecycle() {
    return (String) LIFECYCLE.getOpaque(this);
  }

  /** The calling thread as an {@link RpcThread}, or null. */
  public static RpcThread current() {
    return Thread.currentThread() instanceof RpcThread t ? t : null;
  }

  /** A factory of daemon threads named {@code prefix-N}. */
  public static ThreadFactory factory(String prefix, Object owner, boolean io) {
    AtomicInteger n = new AtomicInteger();
    return task -> new RpcThread(task, prefix + "-" + n.incrementAndGet(), owner, io);
  }
}
