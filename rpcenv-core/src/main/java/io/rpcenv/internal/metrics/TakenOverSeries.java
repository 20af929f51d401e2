package io.rpcenv.internal.metrics;

import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import java.util.Map;

/**
 * Series registered for something that may be replaced while its predecessor is still going (an
 * endpoint set up under the name of one still stopping, a new connection to the same peer): the
 * newcomer takes the names over, and the one that leaves removes only the series that are still its
 * own. Each metric object is made for its series and registered under that one name only, so the
 * objects alone say which series are still its own: one array, no map or names kept (a server holds
 * one of these per client connection).
 */
final class TakenOverSeries implements Runnable {
  private final MetricRegistry registry;
  private final Metric[] metrics;

  /**
   * Registers {@code series} (name to metric) in {@code registry}, replacing what has the names.
   */
  TakenOverSeries(MetricRegistry registry, Map<String, ? extends Metric> series) {
    this.registry = registry;
    this.metrics = new Metric[series.size()];
    int i = 0;
    for (Map.Entry<String, ? extends Metric> e : series.entrySet()) {
      metrics[i++] = e.getValue();
      registry.remove(e.getKey());
      registry.register(e.getKey(), e.getValue());
    }
  }

  /** Takes these series out of the registry, except those a newcomer took over. */
  void unregister() {
    registry.removeMatching((name, metric) -> isOwn(metric));
  }

  /** {@link #unregister()}, for those that hold it as a plain action. */
  @Override
  public void run() {
    unregister();
  }

  private boolean isOwn(Metric metric) {
    for (Metric m : metrics) {
      if (m == metric) {
        return true;
      }
    }
    return false;
  }
}
