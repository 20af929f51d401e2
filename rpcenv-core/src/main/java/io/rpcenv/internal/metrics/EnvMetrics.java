package io.rpcenv.internal.metrics;

import com.codahale.metrics.MetricRegistry;

/**
 * The metrics of one env: its registry (what {@code RpcEnv.metrics()} returns), the env-wide
 * counters, and the per-endpoint metrics it makes.
 */
public final class EnvMetrics {
  private final MetricRegistry registry = new MetricRegistry();

  /** The registry every series of the env is in. */
  public MetricRegistry registry() {
    return registry;
  }

  /** New metrics for endpoint {@code name}, registered until {@link EndpointMetrics#unregister}. */
  public EndpointMetrics endpoint(String name) {
    return new EndpointMetrics(registry, name);
  }
}
