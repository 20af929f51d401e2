package io.rpcenv.internal;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread owned by one env: an I/O event-loop thread or a dispatcher thread. Knowing the owner
 * and the role lets blocking calls detect that they would block an I/O thread or wait for work
 * that only the calling thread could do.
 */
public final class RpcThread extends FastThreadLocalThread {
  private final Object owner;
  private final boolean io;
  /** The inbox this dispatcher thread is draining right now, or null. Written only by this thread. */
  private Object currentInbox;

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

  public Object currentInbox() {
    return currentInbox;
  }

  public void currentInbox(Object inbox) {
    this.currentInbox = inbox;
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
