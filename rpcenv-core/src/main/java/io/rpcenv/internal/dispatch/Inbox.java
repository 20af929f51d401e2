package io.rpcenv.internal.dispatch;

import io.rpcenv.RpcEndpoint;
import io.rpcenv.RpcEndpointNotFoundException;
import io.rpcenv.RpcEnvStoppedException;
import io.rpcenv.RpcException;
import io.rpcenv.internal.metrics.EndpointMetrics;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The queue of one endpoint and the rules for running it: {@code onStart} first and alone; then up
 * to {@code concurrency} threads draining messages ({@code 1} for thread-safe endpoints, which
 * gives FIFO order); {@code onStop} last and alone, once everything queued before the stop has been
 * handled. Scheduling is lock-free: a post adds a drainer only when fewer than {@code concurrency}
 * are running, and a drainer that finds the queue empty leaves and re-checks, so no message is
 * stranded.
 */
public final class Inbox implements Runnable {

  /** Messages one drainer handles before yielding its thread to other endpoints. */
  private static final int BATCH = 64;

  private final String name;
  private final String where;
  private final RpcEndpoint endpoint;
  private final Executor executor;
  private final int maxConcurrency;
  private final Runnable beforeStop;
  private final boolean inline;
  private final EndpointMetrics metrics;
  private final EndpointCalls calls;
  private final Queue<InboxMessage> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger drainers = new AtomicInteger();
  private final CompletableFuture<Void> termination = new CompletableFuture<>();
  private volatile int concurrency = 1;
  private volatile boolean started;
  private volatile boolean stopRequested;
  private volatile boolean terminated;

  /** Why the endpoint was given up on at shutdown, or null. */
  private volatile String abandoned;

  /**
   * @param name the endpoint's name
   * @param where the env, for messages ("RpcEnv 'x' at host:port")
   * @param endpoint the endpoint
   * @param executor the threads to run on
   * @param maxConcurrency how many threads may handle messages at once after onStart
   * @param beforeStop run just before onStop (clears the endpoint's self ref)
   * @param inline whether messages are handled on the thread that delivers them
   * @param metrics where the endpoint's messages are counted
   */
  Inbox(
      String name,
      String where,
      RpcEndpoint endpoint,
      Executor executor,
      int maxConcurrency,
      Runnable beforeStop,
      boolean inline,
      EndpointMetrics metrics) {
    this.inline = inline;
    this.metrics = metrics;
    this.calls = new EndpointCalls(endpoint, metrics, this::describe);
    metrics.depthFrom(queue::size);
    this.name = name;
    this.where = where;
    this.endpoint = endpoint;
    this.executor = executor;
    this.maxConcurrency = maxConcurrency;
    this.beforeStop = beforeStop;
  }

  public String name() {
    return name;
  }

  /** The endpoint's metrics. */
  public EndpointMetrics metrics() {
    return metrics;
  }

  /** Whether only one thread at a time may run this endpoint (so it cannot wait on itself). */
  public boolean isSingleThreaded() {
    return concurrency == 1;
  }

  /** Completes once {@code onStop} has run. */
  CompletableFuture<Void> termination() {
    return termination;
  }

  /** Schedules {@code onStart}. */
  void start() {
    signal();
  }

  /**
   * Handles {@code message} right here when the endpoint runs inline and is between {@code onStart}
   * and a stop request; otherwise queues it like {@link #post}.
   */
  public void deliverInlineOrPost(InboxMessage message) {
    if (inline && started && !stopRequested) {
      RpcThread thread = RpcThread.current();
      if (thread != null && thread.currentInbox() != this) {
        thread.currentInbox(this);
      }
      int kind = message.reaching(metrics);
      metrics.received(kind == InboxMessage.ONE_WAY ? 1 : 0, kind == InboxMessage.ASK ? 1 : 0);
      calls.process(message, thread, RpcThread.timeNext(thread));
    } else {
      post(message);
    }
  }

  /** Queues {@code message}; rejects it if the endpoint has already stopped. */
  public void post(InboxMessage message) {
    if (terminated) {
      message.reject(stoppedException());
      return;
    }
    queue.offer(message);
    if (terminated) {
      rejectQueued(); // lost the race with onStop: nobody else will look at the queue again
      return;
    }
    signal();
  }

  /** Requests {@code onStop} after the messages already queued. */
  void stop() {
    stopRequested = true;
    concurrency = 1;
    signal();
  }

  /**
   * Gives up on an endpoint that did not finish stopping in time: what is queued is rejected, later
   * posts too, and {@code onStop} is not called. A thread still inside the endpoint leaves when its
   * call returns.
   */
  void abandon(String why) {
    abandoned = why;
    terminated = true;
    rejectQueued();
    termination.complete(null);
  }

  @Override
  public void run() {
    RpcThread thread = RpcThread.current();
    Object previous = null;
    if (thread != null) {
      previous = thread.currentInbox();
      thread.currentInbox(this);
    }
    try {
      drain(thread);
    } finally {
      if (thread != null) {
        thread.currentInbox(previous);
      }
    }
  }

  private void drain(RpcThread thread) {
    if (!started) {
      // Only one drainer can exist until onStart is done, since concurrency is still 1.
      boolean ok = calls.call(thread, "onStart", endpoint::onStart);
      started = true;
      if (ok && maxConcurrency > 1 && !stopRequested) {
        concurrency = maxConcurrency;
      }
    }
    drainBatch(thread);
  }

  /** The loop of {@link #drain}: up to a batch, counting what it handled once, as it ends. */
  private void drainBatch(RpcThread thread) {
    int oneWays = 0;
    int asks = 0;
    try {
      int handled = 0;
      for (; ; ) {
        if (terminated) {
          rejectQueued();
          drainers.decrementAndGet();
          return;
        }
        if (!stayWhenConcurrencyShrank()) {
          return;
        }
        InboxMessage m = queue.poll();
        if (m == null) {
          if (stopRequested && drainers.get() == 1) {
            finishStop(thread);
            return;
          }
          drainers.decrementAndGet();
          boolean stopPending = stopRequested && !terminated;
          if ((queue.isEmpty() && !stopPending) || !tryEnter()) {
            return;
          }
          continue;
        }
        int kind = m.reaching(metrics);
        if (kind == InboxMessage.ONE_WAY) {
          oneWays++;
        } else if (kind == InboxMessage.ASK) {
          asks++;
        }
        if (concurrency > 1 && !queue.isEmpty()) {
          signal(); // more work than hands: bring another thread
        }
        calls.process(m, thread, RpcThread.timeNext(thread));
        if (++handled >= BATCH) {
          executor.execute(this); // keep our slot, but let other endpoints' work run first
          return;
        }
      }
    } finally {
      metrics.received(oneWays, asks);
    }
  }

  private void finishStop(RpcThread thread) {
    beforeStop.run();
    calls.call(thread, "onStop", endpoint::onStop);
    terminated = true;
    rejectQueued();
    drainers.decrementAndGet();
    termination.complete(null);
  }

  private void signal() {
    if (tryEnter()) {
      executor.execute(this);
    }
  }

  private boolean tryEnter() {
    for (; ; ) {
      int d = drainers.get();
      if (d >= concurrency) {
        return false;
      }
      if (drainers.compareAndSet(d, d + 1)) {
        return true;
      }
    }
  }

  /**
   * After a stop request lowers concurrency to 1, extra drainers leave; returns whether to stay.
   */
  private boolean stayWhenConcurrencyShrank() {
    for (; ; ) {
      int d = drainers.get();
      if (d <= concurrency) {
        return true;
      }
      if (drainers.compareAndSet(d, d - 1)) {
        return false;
      }
    }
  }

  private void rejectQueued() {
    InboxMessage m;
    while ((m = queue.poll()) != null) {
      m.reject(stoppedException());
    }
  }

  private RpcException stoppedException() {
    String why = abandoned;
    if (why != null) {
      return new RpcEnvStoppedException(
          String.format(
              "%s shut down before endpoint '%s' could handle the message: %s", where, name, why));
    }
    return new RpcEndpointNotFoundException(
        String.format(
            "Endpoint '%s' of %s was stopped before it could handle the message", name, where));
  }

  String describe() {
    return "'" + name + "' of " + where;
  }
}
