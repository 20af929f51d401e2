package io.rpcenv.internal.metrics;

import com.codahale.metrics.MetricRegistry;
import io.rpcenv.RpcMetricFamily;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The metrics of one env: its registry (what {@code RpcEnv.metrics()} returns), the env-wide
 * counters, and the per-endpoint metrics it makes.
 */
public final class EnvMetrics {
  /**
   * Distinct (peer, endpoint) pairs the asking side keeps series for; asks to others are counted
   * under peer and endpoint {@code _other}, so executors coming and going cannot grow the registry
   * without bound.
   */
  static final int MAX_ASK_SERIES = 256;

  private final MetricRegistry registry = new MetricRegistry();
  private final ConcurrentMap<String, AskMetrics> asks = new ConcurrentHashMap<>();
  private final TransportMetrics transport = new TransportMetrics(registry);

  /** The env-wide figures of its connections. */
  public TransportMetrics transport() {
    return transport;
  }

  /** The registry every series of the env is in. */
  public MetricRegistry registry() {
    return registry;
  }

  /**
   * The asking side's metrics for endpoint {@code endpoint} at {@code peer} ({@code host:port}, or
   * {@code local} for this env); made once per pair, then looked up by the refs that ask.
   */
  public AskMetrics asks(String peer, String endpoint) {
    String key = peer + "/" + endpoint;
    AskMetrics m = asks.get(key);
    if (m != null) {
      return m;
    }
    if (asks.size() >= MAX_ASK_SERIES) {
      peer = "_other";
      endpoint = "_other";
      key = "_other/_other";
    }
    String p = peer;
    String e = endpoint;
    return asks.computeIfAbsent(key, k -> register(p, e));
  }

  private AskMetrics register(String peer, String endpoint) {
    AskMetrics m = new AskMetrics();
    registry.register(
        RpcMetricFamily.ASK_LATENCY.series("endpoint", endpoint, "peer", peer), m.latency);
    for (AskMetrics.Outcome o : AskMetrics.Outcome.values()) {
      registry.register(
          RpcMetricFamily.ASKS.series("endpoint", endpoint, "peer", peer, "outcome", o.label()),
          m.outcomes.get(o));
    }
    return m;
  }

  /** New metrics for endpoint {@code name}, registered until {@link EndpointMetrics#unregister}. */
  public EndpointMetrics endpoint(String name) {
    return new EndpointMetrics(registry, name, transport);
  }
}
