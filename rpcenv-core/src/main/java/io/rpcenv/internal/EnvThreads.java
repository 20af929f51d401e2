package io.rpcenv.internal;

import io.rpcenv.internal.dispatch.RpcThread;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Makes every thread of one env and remembers those that may still run, so that shutdown can wait
 * until each has really ended, not merely until its pool says it is done.
 */
final class EnvThreads {
  private final Object owner;
  private final String envName;
  private final Queue<Thread> created = new ConcurrentLinkedQueue<>();

  EnvThreads(Object owner, String envName) {
    this.owner = owner;
    this.envName = envName;
  }

  /** Daemon threads named {@code rpcenv-<env>-<role>-N}. */
  ThreadFactory factory(String role, boolean io) {
    ThreadFactory base = RpcThread.factory("rpcenv-" + envName + "-" + role, owner, io);
    return task -> {
      Thread t = base.newThread(task);
      // Threads of stopped isolated endpoints have ended: drop them, or an env that starts and
      // stops such endpoints for hours would keep every thread it ever made.
      created.removeIf(old -> old.getState() == Thread.State.TERMINATED);
      created.add(t);
      return t;
    };
  }

  /** The threads made so far, less those found ended when a later one was made. */
  Iterable<Thread> all() {
    return created;
  }

  /** A started daemon thread for a one-off job. */
  Thread start(String role, Runnable job) {
    Thread t = factory(role, false).newThread(job);
    t.start();
    return t;
  }

  /** Waits for every thread but the caller to end; returns the names of any still alive. */
  List<String> joinAll(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    List<String> alive = new ArrayList<>();
    for (Thread t : created) {
      if (t == Thread.currentThread()) {
        continue;
      }
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      if (t.isAlive()) {
        alive.add(t.getName());
      }
    }
    return alive;
  }
}
