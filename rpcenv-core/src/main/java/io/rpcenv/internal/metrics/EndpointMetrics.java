package io.rpcenv.internal.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The metrics of one endpoint, registered in its env's registry while the endpoint exists. Counting
 * costs a {@link java.util.concurrent.atomic.LongAdder} add per event; the inbox depth an atomic
 * increment and decrement per queued message; handling time two clock reads per message.
 */
public final class EndpointMetrics {
  private final MetricRegistry registry;
  private final Map<String, Metric> series;
  private final Counter oneWays = new Counter();
  private final Counter asks = new Counter();
  private final Counter answered = new Counter();
  private final Counter failed = new Counter();
  private final Counter stalls = new Counter();
  private final Histogram handling = new Histogram(new LogBuckets());
  private final AtomicLong depth = new AtomicLong();
  private final AtomicLong depthMax = new AtomicLong();

  EndpointMetrics(MetricRegistry registry, String endpoint) {
    this.registry = registry;
    String oneWay = Family.MESSAGES_RECEIVED.series("endpoint", endpoint, "kind", "one_way");
    String ask = Family.MESSAGES_RECEIVED.series("endpoint", endpoint, "kind", "ask");
    String ok = Family.ASKS_ANSWERED.series("endpoint", endpoint);
    String bad = Family.ASKS_FAILED.series("endpoint", endpoint);
    String time = Family.HANDLING.series("endpoint", endpoint);
    String now = Family.INBOX_DEPTH.series("endpoint", endpoint);
    String most = Family.INBOX_DEPTH_MAX.series("endpoint", endpoint);
    String stalled = Family.STALL_WARNINGS.series("endpoint", endpoint);
    Gauge<Long> depthNow = depth::get;
    Gauge<Long> depthMost = depthMax::get;
    this.series =
        Map.of(
            oneWay, oneWays, ask, asks, ok, answered, bad, failed, time, handling, now, depthNow,
            most, depthMost, stalled, stalls);
    // A new endpoint under the name of one still stopping takes the name's series over.
    series.forEach(
        (name, metric) -> {
          registry.remove(name);
          registry.register(name, metric);
        });
  }

  /** A one-way message arrived for the endpoint. */
  public void oneWay() {
    oneWays.inc();
  }

  /** An ask arrived for the endpoint. */
  public void ask() {
    asks.inc();
  }

  /** The endpoint replied to an ask. */
  public void answered() {
    answered.inc();
  }

  /** The endpoint failed an ask. */
  public void failed() {
    failed.inc();
  }

  /** The stall watch warned about the endpoint. */
  public void stalled() {
    stalls.inc();
  }

  /** A message went into the inbox. */
  public void queued() {
    long d = depth.incrementAndGet();
    if (d > depthMax.get()) { // only a new high-water mark writes
      depthMax.accumulateAndGet(d, Math::max);
    }
  }

  /** A message left the inbox (to be handled, or rejected). */
  public void dequeued() {
    depth.decrementAndGet();
  }

  /** The endpoint's code ran one message for {@code nanos}. */
  public void handled(long nanos) {
    handling.update(nanos);
  }

  /** Takes the endpoint's series out of the registry (it has stopped), unless taken over. */
  public void unregister() {
    registry.removeMatching((name, metric) -> series.get(name) == metric);
  }
}
