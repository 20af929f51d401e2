package io.rpcenv.internal.dispatch;

import io.rpcenv.InlineRpcEndpoint;
import io.rpcenv.IsolatedRpcEndpoint;
import io.rpcenv.RpcEndpoint;
import io.rpcenv.RpcEnvStoppedException;
import io.rpcenv.ThreadSafeRpcEndpoint;
import io.rpcenv.internal.metrics.EnvMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Routes messages to endpoints by name and owns the threads that run endpoint code: one shared
 * pool, plus a dedicated pool per {@link IsolatedRpcEndpoint}.
 */
public final class Dispatcher {
  private final Function<String, ThreadFactory> threads;
  private final String where;
  private final int sharedThreads;
  private final ThreadPoolExecutor shared;
  private final EnvMetrics metrics;
  private final Map<String, Inbox> inboxes = new ConcurrentHashMap<>();

  /** The pools of isolated endpoints that have not terminated; guarded by {@code this}. */
  private final Map<Inbox, ExecutorService> isolatedPools = new HashMap<>();

  private volatile boolean stopped;

  /** The inboxes {@link #stop()} is stopping. */
  private List<Inbox> stopping = List.of();

  /**
   * @param threads makes the threads of a pool, given the pool's role ("dispatcher" or an endpoint
   *     name)
   * @param where the env described for messages
   * @param sharedThreads size of the shared pool
   * @param metrics where each endpoint's metrics are registered
   */
  public Dispatcher(
      Function<String, ThreadFactory> threads,
      String where,
      int sharedThreads,
      EnvMetrics metrics) {
    this.threads = threads;
    this.metrics = metrics;
    this.where = where;
    this.sharedThreads = sharedThreads;
    this.shared = pool(sharedThreads, "dispatcher");
  }

  private ThreadPoolExecutor pool(int size, String role) {
    return new ThreadPoolExecutor(
        size, size, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), threads.apply(role));
  }

  /**
   * Registers {@code endpoint} and schedules its {@code onStart}. Throws {@link
   * IllegalArgumentException} for a taken name, {@link RpcEnvStoppedException} after stop.
   */
  public synchronized Inbox register(
      String name,
      RpcEndpoint endpoint,
      Runnable beforeStop,
      Supplier<RpcEnvStoppedException> stoppedError) {
    if (stopped) {
      throw stoppedError.get();
    }
    if (inboxes.containsKey(name)) {
      throw new IllegalArgumentException(
          "There is already an RpcEndpoint called " + name + " in " + where);
    }
    ExecutorService executor = shared;
    // A plain endpoint may use all shared threads but one, so that one endpoint that blocks (or is
    // simply busy) can never keep every other endpoint, lookups and heartbeats from running.
    int concurrency = Math.max(1, sharedThreads - 1);
    if (endpoint instanceof IsolatedRpcEndpoint isolated) {
      int threads = isolated.threadCount();
      if (threads < 1) {
        throw new IllegalArgumentException(
            "threadCount() of isolated endpoint " + name + " must be at least 1: " + threads);
      }
      executor = pool(threads, name);
      concurrency = threads;
    }
    if (endpoint instanceof ThreadSafeRpcEndpoint) {
      concurrency = 1;
    }
    boolean inline = endpoint instanceof InlineRpcEndpoint;
    if (inline
        && (endpoint instanceof ThreadSafeRpcEndpoint || endpoint instanceof IsolatedRpcEndpoint)) {
      if (executor != shared) {
        executor.shutdown();
      }
      throw new IllegalArgumentException(
          "Endpoint "
              + name
              + " is an InlineRpcEndpoint, which runs on I/O threads, "
              + "so it cannot also be thread-safe or isolated");
    }
    Inbox inbox =
        new Inbox(
            name,
            where,
            endpoint,
            executor,
            concurrency,
            beforeStop,
            inline,
            metrics.endpoint(name));
    inboxes.put(name, inbox);
    inbox.termination().whenComplete((v, e) -> inbox.metrics().unregister());
    if (executor != shared) {
      ExecutorService own = executor;
      isolatedPools.put(inbox, own);
      inbox
          .termination()
          .whenComplete(
              (v, e) -> {
                own.shutdown();
                synchronized (this) {
                  isolatedPools.remove(inbox);
                }
              });
    }
    inbox.start();
    return inbox;
  }

  /** How many isolated endpoints' own thread pools exist (for tests and diagnostics). */
  public synchronized int isolatedPoolCount() {
    return isolatedPools.size();
  }

  /** The inbox of {@code name}, or null. */
  public Inbox inbox(String name) {
    return inboxes.get(name);
  }

  /** Whether an endpoint called {@code name} is registered. */
  public boolean contains(String name) {
    return inboxes.containsKey(name);
  }

  /** Whether {@link #stop()} has been called. */
  public boolean isStopped() {
    return stopped;
  }

  /**
   * Unregisters {@code name} at once and requests its {@code onStop}; false if it was not
   * registered.
   */
  public boolean unregister(String name, Inbox expected) {
    if (inboxes.remove(name, expected)) {
      expected.stop();
      return true;
    }
    return false;
  }

  /** Delivers an event to every endpoint; a no-op once stopped. */
  public void postToAll(Supplier<InboxMessage> event) {
    if (stopped) {
      return;
    }
    for (Inbox inbox : inboxes.values()) {
      inbox.post(event.get());
    }
  }

  /** Stops every endpoint; completes when every {@code onStop} has run. */
  public CompletableFuture<Void> stop() {
    List<Inbox> all;
    synchronized (this) {
      stopped = true;
      all = new ArrayList<>(inboxes.values());
      inboxes.clear();
      stopping = all;
    }
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (Inbox inbox : all) {
      inbox.stop();
      done.add(inbox.termination());
    }
    return CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0]));
  }

  /**
   * After {@link #stop()} did not complete in time: {@linkplain Inbox#abandon(String) abandons}
   * every endpoint that has not finished, and returns them; {@code why} is told to the senders of
   * the messages they had queued.
   */
  public synchronized List<Inbox> abandonUnfinished(String why) {
    List<Inbox> stuck = new ArrayList<>();
    for (Inbox inbox : stopping) {
      if (!inbox.termination().isDone()) {
        ExecutorService own = isolatedPools.get(inbox);
        inbox.abandon(why);
        if (own != null) {
          own.shutdownNow(); // its termination just shut it down gently; the endpoint is blocked
        }
        stuck.add(inbox);
      }
    }
    return stuck;
  }

  /**
   * After {@link #stop()}: ends the shared dispatcher threads, waiting at most {@code millis};
   * {@code interrupt} interrupts those still running endpoint code. (An isolated endpoint's pool is
   * shut down when the endpoint terminates, or interrupted when it is abandoned.)
   */
  public boolean shutdownThreads(long millis, boolean interrupt) throws InterruptedException {
    if (interrupt) {
      shared.shutdownNow();
    } else {
      shared.shutdown();
    }
    return shared.awaitTermination(millis, TimeUnit.MILLISECONDS);
  }
}
