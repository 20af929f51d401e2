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

    /** The rpcenv connection the executor part joined through (null for a local join). */
    @Nullable RpcAddress connection;

    boolean announced;
  }

  private final Map<String, Entry> entries = new HashMap<>();
  private final Set<String> removed = new HashSet<>();

  /** Open connections that joined, each with the one executor id it joined as. */
  private final Map<RpcAddress, String> connected = new HashMap<>();

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
   * The executor part of {@code joined} is up; returns null if it is taken on, else why not,
   * changing nothing. Refused: an id Spark already removed; an id a part already joined under (a
   * stranger reaching the port never replaces the endpoint the driver's plugins talk to); a second
   * join through one connection (one connection is one executor, so what strangers can make the
   * driver hold is bounded by the connections they keep open: see {@link #disconnected}).
   */
  synchronized @Nullable String joined(ExecutorJoined joined, @Nullable RpcAddress connection) {
    String id = joined.executorId();
    String already = connection == null ? null : connected.get(connection);
    if (already != null) {
      return "this connection already joined as executor " + already;
    }
    if (removed.contains(id)) {
      return "Spark already removed executor " + id;
    }
    Entry e = entries.get(id);
    if (e != null && e.joined) {
      return "an executor part already joined as executor " + id;
    }
    if (e == null) {
      e = new Entry();
      entries.put(id, e);
    }
    e.joined = true;
    e.pluginEndpoint = joined.pluginEndpoint();
    e.connection = connection;
    if (connection != null) {
      connected.put(connection, id);
    }
    announceIfReady(e);
    return null;
  }

  private void announceIfReady(Entry e) {
    if (e.joined && e.spark != null && !e.announced) {
      e.announced = true;
      if (plugins != null) {
        plugins.executorAdded(e.spark);
      }
    }
  }

  /**
   * The rpcenv connection of a joined executor part closed. A join Spark has not confirmed yet is
   * forgotten with it, so a stranger that joined under an id before the real executor did holds
   * that id only while it keeps its connection open.
   */
  synchronized void disconnected(RpcAddress connection) {
    String id = connected.remove(connection);
    if (id == null) {
      return;
    }
    Entry e = entries.get(id);
    if (e != null && !e.announced && connection.equals(e.connection)) {
      entries.remove(id);
    }
    notifyAll();
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
