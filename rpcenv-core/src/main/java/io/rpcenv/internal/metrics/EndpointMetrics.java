package io.rpcenv.internal.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import io.rpcenv.RpcMetricFamily;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * The metrics of one endpoint, registered in its env's registry while the endpoint exists. Built to
 * cost nothing on the sending side and next to nothing on the handling side: the inbox counts what
 * it handles in local variables and adds them here as a batch ends; handling time is measured for
 * one message in {@value #TIMING_SAMPLE} (each thread times every {@value #TIMING_SAMPLE}th message
 * it handles); the inbox depth is counted from the queue when it is read, and its high-water mark
 * is the deepest such reading.
 */
public final class EndpointMetrics {
  /** Under load, one message in this many is timed (a power of two). */
  public static final int TIMING_SAMPLE = 16;

  private final TransportMetrics env;
  private final TakenOverSeries series;
  private final Counter oneWays = new Counter();
  private final Counter asks = new Counter();
  private final Counter answered = new Counter();
  private final Counter failed = new Counter();
  private final Counter stalls = new Counter();
  private volatile IntSupplier depth = () -> 0;
  private final Histogram handling = new Histogram(new LogBuckets());
  private final AtomicLong depthMax = new AtomicLong();

  EndpointMetrics(MetricRegistry registry, String endpoint, TransportMetrics env) {
    this.env = env;
    Gauge<Long> depthNow = this::depth;
    Gauge<Long> depthMost = this::depthMax;
    this.series =
        new TakenOverSeries(
            registry,
            Map.of(
                RpcMetricFamily.MESSAGES_RECEIVED.series("endpoint", endpoint, "kind", "one_way"),
                    oneWays,
                RpcMetricFamily.MESSAGES_RECEIVED.series("endpoint", endpoint, "kind", "ask"), asks,
                RpcMetricFamily.ASKS_ANSWERED.series("endpoint", endpoint), answered,
                RpcMetricFamily.ASKS_FAILED.series("endpoint", endpoint), failed,
                RpcMetricFamily.HANDLING.series("endpoint", endpoint), handling,
                RpcMetricFamily.INBOX_DEPTH.series("endpoint", endpoint), depthNow,
                RpcMetricFamily.INBOX_DEPTH_MAX.series("endpoint", endpoint), depthMost,
                RpcMetricFamily.STALL_WARNINGS.series("endpoint", endpoint), stalls));
  }

  /**
   * The inbox handled (or, for an inline endpoint, was given) {@code oneWays} one-way messages and
   * {@code asks} asks: counted by the inbox as a batch ends.
   */
  public void received(int oneWays, int asks) {
    if (oneWays > 0) {
      this.oneWays.inc(oneWays);
    }
    if (asks > 0) {
      this.asks.inc(asks);
    }
  }

  /** Where the inbox depth is read: the inbox's queue, counted when the gauge is read. */
  public void depthFrom(IntSupplier depth) {
    this.depth = depth;
  }

  /** Messages and events waiting in the inbox now (counted, so it costs as many steps). */
  public long depth() {
    return depth.getAsInt();
  }

  /** The deepest the inbox was when its depth was read. */
  public long depthMax() {
    long d = depth();
    return d > depthMax.get() ? depthMax.accumulateAndGet(d, Math::max) : depthMax.get();
  }

  /** A message for the endpoint could not be deserialized; counted for the env. */
  public void undeliverable() {
    env.undeliverable();
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

  /** The endpoint's code ran one (sampled) message for {@code nanos}. */
  public void handled(long nanos) {
    handling.update(nanos);
  }

  /** Takes the endpoint's series out of the registry (it has stopped), unless taken over. */
  public void unregister() {
    series.unregister();
  }
}
