package io.rpcenv.internal.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;

/**
 * The two gauges of one connection to a peer, registered under the peer's names (a newer connection
 * to the same peer takes the names over); running it takes out those still its own. Four fields, no
 * collection: a server may hold one per client connection.
 */
final class PeerSeries implements Runnable {
  private final MetricRegistry registry;
  private final String asksName;
  private final Gauge<Long> asks;
  private final String outboxName;
  private final Gauge<Long> outbox;

  PeerSeries(
      MetricRegistry registry,
      String asksName,
      Gauge<Long> asks,
      String outboxName,
      Gauge<Long> outbox) {
    this.registry = registry;
    this.asksName = asksName;
    this.asks = asks;
    this.outboxName = outboxName;
    this.outbox = outbox;
    take(asksName, asks);
    take(outboxName, outbox);
  }

  private void take(String name, Metric metric) {
    registry.remove(name);
    registry.register(name, metric);
  }

  @Override
  public void run() {
    registry.removeMatching(
        (name, metric) ->
            (metric == asks && name.equals(asksName))
                || (metric == outbox && name.equals(outboxName)));
  }
}
