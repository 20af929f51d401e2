package io.rpcenv.runtime.internal;

import io.rpcenv.PrometheusFamily;
import io.rpcenv.RpcAddress;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.plugin.ExecutorInfo;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A registered executor as the driver sees it: who it is, how to reach it, and what its last
 * heartbeat said. Written by {@link DriverEndpoint} alone; the status page reads it from other
 * threads, so what changes with heartbeats is volatile.
 */
public final class LiveExecutor {
  private final ExecutorInfo info;
  private final RpcEndpointRef executor;
  private final RpcEndpointRef plugins;
  private final RpcAddress address;
  private volatile long lastSeenNanos;
  private volatile Beat last = new Beat(0, List.of(), null);
  private final AtomicLong heartbeats = new AtomicLong();

  /**
   * @param address the connection it registered from; only messages from there are believed
   */
  public LiveExecutor(
      ExecutorInfo info,
      RpcEndpointRef executor,
      RpcEndpointRef plugins,
      RpcAddress address,
      long nowNanos) {
    this.info = info;
    this.executor = executor;
    this.plugins = plugins;
    this.address = address;
    this.lastSeenNanos = nowNanos;
  }

  public ExecutorInfo info() {
    return info;
  }

  /** Its plugin endpoint, or null without executor plugins. */
  public RpcEndpointRef plugins() {
    return plugins;
  }

  RpcEndpointRef executor() {
    return executor;
  }

  RpcAddress address() {
    return address;
  }

  /** When it was last heard from ({@link System#nanoTime()}, or the endpoint's clock). */
  public long lastSeenNanos() {
    return lastSeenNanos;
  }

  void seen(long nowNanos) {
    lastSeenNanos = nowNanos;
  }

  /**
   * What one heartbeat carried, when it arrived, and the heartbeat before it (without its own
   * before), or null.
   */
  public record Beat(long atNanos, List<PrometheusFamily> metrics, @Nullable Beat before) {}

  /** A heartbeat arrived with these metrics. */
  void heartbeat(long nowNanos, List<PrometheusFamily> latest) {
    lastSeenNanos = nowNanos;
    Beat was = last;
    last = new Beat(nowNanos, latest, new Beat(was.atNanos(), was.metrics(), null));
    heartbeats.incrementAndGet();
  }

  /** Its metrics as its last heartbeat carried them; empty before the first. */
  public List<PrometheusFamily> metrics() {
    return last.metrics();
  }

  /** Its last heartbeat (one at 0 with no metrics before the first). */
  public Beat lastBeat() {
    return last;
  }

  /** How many heartbeats it sent. */
  public long heartbeats() {
    return heartbeats.get();
  }
}
