package io.rpcenv.internal.metrics;

import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import java.util.Map;

/**
 * Series registered for something that may be replaced while its predecessor is still going (an
 * endpoint set up under the name of one still stopping, a new connection to the same peer): the
 * newcomer takes the names over, and the one that leaves removes only the series that are still its
 * own.
 */
final class TakenOverSeries {
  private final MetricRegistry registry;
  private final Map<String, Metric> series;

  /**
   * Registers {@code series} (name to metric) in {@code registry}, replacing what has the names.
   */
  TakenOverSeries(MetricRegistry registry, Map<String, Metric> series) {
    this.registry = registry;
    this.series = series;
    series.forEach(
        (name, metric) -> {
          registry.remove(name);
          registry.register(name, metric);
        });
  }

  /** Takes these series out of the registry, except those a newcomer took over. */
  void unregister() {
    registry.removeMatching((name, metric) -> series.get(name) == metric);
  }
}
