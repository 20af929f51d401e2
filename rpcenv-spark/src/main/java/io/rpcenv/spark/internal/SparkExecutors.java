package io.rpcenv.spark.internal;

import io.rpcenv.RpcAddress;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.plugin.ExecutorInfo;
import io.rpcenv.plugin.host.DriverPluginContainer;
import io.rpcenv.plugin.host.ExecutorDirectory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.jspecify.annotations.Nullable;

/**
 * The executors the driver's plugins see: those Spark reports alive (its listener bus) whose
 * executor part has joined over rpcenv. An executor is announced to the plugins ({@code
 * onExecutorAdded}) once both have happened, in whichever order, and its removal ({@code
 * onExecutorRemoved}, with Spark's reason) only if it was announced.
 */
final class SparkExecutors extends SparkListener implements ExecutorDirectory {
  /** What is known of one executor so far. */
  private static final class Entry {
    @Nullable ExecutorInfo spark;
    boolean joined;
    @Nullable RpcEndpointRef pluginEndpoint;
    boolean announced;
  }

  private final Map<String, Entry> entries = new HashMap<>();
  private final Set<String> removed = new HashSet<>();
  private final Set<RpcAddress> connected = new HashSet<>();
  private @Nullable DriverPluginContainer plugins;

  /** Where announcements go; until set (or with no driver plugins), nobody is told. */
  synchronized void announceTo(@Nullable DriverPluginContainer plugins) {
    this.plugins = plugins;
  }

  @Override
  public void onExecutorAdded(SparkListenerExecutorAdded added) {
    ExecutorInfo info =
        new ExecutorInfo(
            added.executorId(),
            added.executorInfo().executorHost(),
            added.executorInfo().totalCores(),
            Instant.ofEpochMilli(added.time()));
    synchronized (this) {
      if (removed.contains(added.executorId())) {
        return;
      }
      Entry e = entries.computeIfAbsent(added.executorId(), id -> new Entry());
      e.spark = info;
      announceIfReady(e);
    }
  }

  @Override
  public void onExecutorRemoved(SparkListenerExecutorRemoved gone) {
    Entry e;
    DriverPluginContainer p;
    synchronized (this) {
      removed.add(gone.executorId());
      e = entries.remove(gone.executorId());
      p = plugins;
    }
    if (e != null && e.announced && p != null && e.spark != null) {
      p.executorRemoved(e.spark, gone.reason());
    }
  }

  /**
   * The executor part of {@code joined} is up. Returns false, changing nothing, if Spark already
   * removed that executor or a part already joined under its id: a second join (a stranger reaching
   * the port, say) never replaces the endpoint the driver's plugins talk to.
   */
  synchronized boolean joined(ExecutorJoined joined, @Nullable RpcAddress connection) {
    Entry known = entries.get(joined.executorId());
    if (removed.contains(joined.executorId()) || (known != null && known.joined)) {
      return false;
    }
    if (connection != null) {
      connected.add(connection);
    }
    Entry e = entries.computeIfAbsent(joined.executorId(), id -> new Entry());
    e.joined = true;
    e.pluginEndpoint = joined.pluginEndpoint();
    announceIfReady(e);
    return true;
  }

  private void announceIfReady(Entry e) {
    if (e.joined && e.spark != null && !e.announced) {
      e.announced = true;
      if (plugins != null) {
        plugins.executorAdded(e.spark);
      }
    }
  }

  /** The rpcenv connection of a joined executor part closed. */
  synchronized void disconnected(RpcAddress connection) {
    if (connected.remove(connection)) {
      notifyAll();
    }
  }

  /**
   * Waits until every executor part that joined has closed its rpcenv connection (they do once
   * their plugins' {@code shutdown} ran), or {@code timeout} has passed; returns how many are still
   * connected.
   */
  synchronized int awaitDisconnected(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long left;
    while (!connected.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return connected.size();
  }

  @Override
  public synchronized List<ExecutorInfo> executors() {
    List<ExecutorInfo> out = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (e.announced && e.spark != null) {
        out.add(e.spark);
      }
    }
    out.sort((a, b) -> a.executorId().compareTo(b.executorId()));
    return out;
  }

  @Override
  public synchronized @Nullable RpcEndpointRef pluginEndpoint(String executorId) {
    Entry e = entries.get(executorId);
    return e == null || !e.announced ? null : e.pluginEndpoint;
  }
}
