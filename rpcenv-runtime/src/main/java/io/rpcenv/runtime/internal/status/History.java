package io.rpcenv.runtime.internal.status;

import io.rpcenv.runtime.internal.LiveExecutor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The figures the page charts, sampled once a second over the last ten minutes: messages the
 * driver's endpoints received and frames it read and wrote per second, and the latency of asks made
 * anywhere in the application (the driver's live, the executors' as of their last heartbeat).
 * Sampled on the HTTP server's own thread, never on the RPC path.
 */
final class History {
  /** Seconds between samples. */
  static final int EVERY_SECONDS = 1;

  private static final int KEPT = 600;

  private final StatusSource source;
  private final ArrayDeque<Map<String, Object>> points = new ArrayDeque<>();
  private Reading last;

  /** The totals one sample read. */
  private record Reading(
      long atNanos,
      double received,
      double framesIn,
      double framesOut,
      double asks,
      NavigableMap<Double, Double> askBuckets) {}

  History(StatusSource source) {
    this.source = source;
  }

  /** Takes a sample now. */
  synchronized void sample() {
    Families driver = new Families(source.driverFamilies());
    double asks = driver.sum("rpcenv_asks_total");
    NavigableMap<Double, Double> buckets = driver.buckets("rpcenv_ask_seconds", l -> true);
    for (LiveExecutor l : source.executors().live().values()) {
      Families e = new Families(l.metrics());
      asks += e.sum("rpcenv_asks_total");
      e.buckets("rpcenv_ask_seconds", x -> true)
          .forEach((k, v) -> buckets.merge(k, v, Double::sum));
    }
    Map<String, Double> frames = driver.sumBy("rpcenv_frames_total", "direction");
    Reading now =
        new Reading(
            System.nanoTime(),
            driver.sum("rpcenv_endpoint_messages_received_total"),
            frames.getOrDefault("in", 0.0),
            frames.getOrDefault("out", 0.0),
            asks,
            buckets);
    Reading before = last;
    last = now;
    if (before == null) {
      return;
    }
    double seconds = (now.atNanos() - before.atNanos()) / 1e9;
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("t", System.currentTimeMillis());
    p.put("messagesPerSecond", Math.max(0, now.received() - before.received()) / seconds);
    p.put("framesInPerSecond", Math.max(0, now.framesIn() - before.framesIn()) / seconds);
    p.put("framesOutPerSecond", Math.max(0, now.framesOut() - before.framesOut()) / seconds);
    p.put("asksPerSecond", Math.max(0, now.asks() - before.asks()) / seconds);
    NavigableMap<Double, Double> askDelta = Families.minus(now.askBuckets(), before.askBuckets());
    p.put("askP50Ms", Families.quantileMs(askDelta, 0.5));
    p.put("askP99Ms", Families.quantileMs(askDelta, 0.99));
    points.addLast(p);
    if (points.size() > KEPT) {
      points.removeFirst();
    }
  }

  /** The samples, oldest first. */
  synchronized Map<String, Object> points() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("intervalSeconds", EVERY_SECONDS);
    doc.put("points", List.copyOf(new ArrayList<>(points)));
    return doc;
  }
}
