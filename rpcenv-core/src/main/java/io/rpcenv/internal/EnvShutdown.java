package io.rpcenv.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.rpcenv.RpcEnvStoppedException;
import io.rpcenv.RpcTimeout;
import io.rpcenv.internal.call.PendingAsk;
import io.rpcenv.internal.dispatch.Dispatcher;
import io.rpcenv.internal.dispatch.Inbox;
import io.rpcenv.internal.dispatch.StallWatch;
import io.rpcenv.internal.transport.Transport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle of one env and its shutdown, run on a thread of its own: endpoints stop first
 * (waiting at most {@code spark.rpc.endpointStopTimeout}), then connections close, asks still
 * outstanding fail, and every thread the env made ends. Callers may wait for the end.
 */
final class EnvShutdown {
  private static final Logger LOG = LoggerFactory.getLogger(EnvShutdown.class);

  /** Accepting work. */
  static final int RUNNING = 0;

  /**
   * Endpoints are stopping; their own threads may still send (an {@code onStop} saying goodbye).
   */
  static final int STOPPING = 1;

  /** Connections and threads are closing. */
  static final int CLOSING = 2;

  static final int TERMINATED = 3;

  private final Supplier<String> where;
  private final Dispatcher dispatcher;
  private final Transport transport;
  private final Timer timer;
  private final EventLoopGroup group;
  private final EnvThreads threads;
  private final Duration endpointStopTimeout;
  private final AtomicInteger state = new AtomicInteger(RUNNING);
  private final CompletableFuture<Void> termination = new CompletableFuture<>();
  private volatile Thread thread;

  EnvShutdown(
      Supplier<String> where,
      Dispatcher dispatcher,
      Transport transport,
      Timer timer,
      EventLoopGroup group,
      EnvThreads threads,
      Duration endpointStopTimeout) {
    this.where = where;
    this.dispatcher = dispatcher;
    this.transport = transport;
    this.timer = timer;
    this.group = group;
    this.threads = threads;
    this.endpointStopTimeout = endpointStopTimeout;
  }

  /** One of {@link #RUNNING}, {@link #STOPPING}, {@link #CLOSING}, {@link #TERMINATED}. */
  int state() {
    return state.get();
  }

  /** Starts the shutdown on its own thread, once; later calls do nothing. */
  void start() {
    if (state.compareAndSet(RUNNING, STOPPING)) {
      thread = threads.start("shutdown", this::run);
    }
  }

  private void run() {
    String where = this.where.get();
    try {
      boolean abandoned = stopEndpoints(where);
      state.set(CLOSING);
      RpcEnvStoppedException stopped =
          new RpcEnvStoppedException(where + " was shut down while the ask was " + "outstanding");
      try {
        transport.close(stopped).get(10, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        LOG.warn("{}: connections did not close within 10 s", where);
      }
      for (Timeout t : timer.stop()) {
        if (t.task() instanceof PendingAsk<?> p) {
          p.fail(stopped);
        }
      }
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
      if (!dispatcher.shutdownThreads(10_000, abandoned)) {
        LOG.warn("{}: dispatcher threads did not end within 10 s", where);
      }
      List<String> alive = threads.joinAll(10_000);
      if (!alive.isEmpty()) {
        LOG.warn("{}: threads still running after shutdown: {}", where, alive);
      }
    } catch (Throwable t) {
      LOG.error("Error while shutting down {}", where, t);
    } finally {
      state.set(TERMINATED);
      termination.complete(null);
      LOG.debug("{} terminated", where);
    }
  }

  /**
   * Stops every endpoint, waiting at most {@code spark.rpc.endpointStopTimeout}; then gives up on
   * those still busy, saying which and what they are doing. Returns whether any was given up on.
   */
  private boolean stopEndpoints(String where) throws InterruptedException {
    CompletableFuture<Void> stopped = dispatcher.stop();
    try {
      stopped.get(endpointStopTimeout.toNanos(), TimeUnit.NANOSECONDS);
      return false;
    } catch (TimeoutException e) {
      String waited = RpcTimeout.of(endpointStopTimeout).describe();
      StringBuilder stuck = new StringBuilder();
      for (Inbox inbox :
          dispatcher.abandonUnfinished(
              "the endpoint was still busy with an earlier one "
                  + waited
                  + " after the shutdown began (spark.rpc.endpointStopTimeout)")) {
        String running = StallWatch.running(inbox, threads.all());
        stuck
            .append(stuck.isEmpty() ? "" : "; ")
            .append('\'')
            .append(inbox.name())
            .append('\'')
            .append(running.isEmpty() ? "" : " (" + running + ")");
      }
      LOG.warn(
          "{}: endpoints still busy {} after shutdown began (spark.rpc.endpointStopTimeout): {}."
              + " Closing anyway: their queued messages fail, those not yet in onStop never get it,"
              + " and their threads are interrupted",
          where,
          waited,
          stuck);
      return true;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e); // cannot happen: endpoint terminations never fail
    }
  }

  boolean isTerminated() {
    return termination.isDone();
  }

  /** Waits for the end of the shutdown, and of its thread. */
  void await() {
    termination.join();
    joinThread(Long.MAX_VALUE);
  }

  /** Throws if {@code ownThread}: a thread of the env waiting for its end would wait for itself. */
  void refuseWaitOnOwnThread(boolean ownThread) {
    if (ownThread) {
      throw new IllegalStateException(
          "awaitTermination called on "
              + Thread.currentThread().getName()
              + ", a thread of "
              + where.get()
              + " that shutdown must end; it would wait for itself");
    }
  }

  /** Waits at most {@code timeout}; returns whether the shutdown and its thread have ended. */
  boolean await(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      termination.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return joinThread(deadline);
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      return true;
    }
  }

  /** The shutdown thread reports termination as its last act; wait for it to be gone too. */
  private boolean joinThread(long deadlineNanos) {
    Thread t = thread;
    if (t == null) {
      return true;
    }
    try {
      if (deadlineNanos == Long.MAX_VALUE) {
        t.join();
      } else {
        long left = deadlineNanos - System.nanoTime();
        if (left > 0) {
          TimeUnit.NANOSECONDS.timedJoin(t, left);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !t.isAlive();
  }

  /** Releases what a constructor that failed half-way had made. */
  static void releasePartial(Dispatcher d, Timer t, EventLoopGroup g) {
    if (g != null) {
      g.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    if (t != null) {
      t.stop();
    }
    if (d != null) {
      d.stop();
      try {
        d.shutdownThreads(5_000, true);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
