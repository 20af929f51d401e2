package io.rpcenv;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import io.rpcenv.PrometheusFamily.Sample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Dropwizard registries written as Prometheus text (exposition format 0.0.4), for a {@code
 * /metrics} endpoint. rpcenv's own series keep their names and labels ({@link RpcEnv#metrics()});
 * its duration histograms become Prometheus histograms in seconds, with buckets at powers of two
 * nanoseconds from about 1 µs to 34 s. Other metrics (plugins') get a name made valid: counters and
 * meters end in {@code _total}, gauges with a number value are gauges, other histograms and timers
 * are summaries with quantiles 0.5 and 0.99 (timers in seconds). Each registry may carry labels
 * (such as {@code executor="1"}) added to all its series; series of one family from every registry
 * are written together, as the format requires.
 */
public final class PrometheusText {
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final double NANOS_PER_SECOND = 1e9;

  /** One family's header and its samples so far, each series once. */
  private static final class Out {
    final String type;
    final String help;
    final List<Sample> lines = new ArrayList<>();
    final Set<String> series = new HashSet<>();

    Out(String type, String help) {
      this.type = type;
      this.help = help;
    }

    void add(Sample s) {
      if (series.add(s.name() + '{' + s.labels())) {
        lines.add(s);
      }
    }
  }

  private final Map<String, Out> families = new TreeMap<>();

  /** An empty text; {@link #add} registries to it. */
  public PrometheusText() {}

  /** The text of {@code registry} alone, without extra labels. */
  public static String of(MetricRegistry registry) {
    return new PrometheusText().add(registry, Map.of()).toString();
  }

  /**
   * Adds every metric of {@code registry}, as it is now, with {@code labels} on each series.
   *
   * @throws IllegalArgumentException if a label name is not a valid Prometheus label name
   */
  public PrometheusText add(MetricRegistry registry, Map<String, String> labels) {
    String extra = labels(labels);
    for (Map.Entry<String, Metric> e : registry.getMetrics().entrySet()) {
      add(e.getKey(), e.getValue(), extra);
    }
    return this;
  }

  /**
   * Adds families taken elsewhere with {@link #families()} (another process's, say), with {@code
   * labels} on each series. What would make the text invalid is left out: a family whose name is
   * already here with another type, a series that already carries one of {@code labels}, and a
   * series already here.
   *
   * @throws IllegalArgumentException if a label name is not a valid Prometheus label name
   */
  public PrometheusText add(List<PrometheusFamily> taken, Map<String, String> labels) {
    String extra = labels(labels);
    for (PrometheusFamily f : taken) {
      Out out = families.computeIfAbsent(f.name(), n -> new Out(f.type(), f.help()));
      if (!out.type.equals(f.type())) {
        continue;
      }
      for (Sample s : f.samples()) {
        if (labels.keySet().stream().noneMatch(s::hasLabel)) {
          out.add(new Sample(s.name(), join(extra, s.labels()), s.value()));
        }
      }
    }
    return this;
  }

  /** What has been added so far, as data, in name order. */
  public List<PrometheusFamily> families() {
    List<PrometheusFamily> all = new ArrayList<>(families.size());
    for (Map.Entry<String, Out> f : families.entrySet()) {
      Out o = f.getValue();
      all.add(new PrometheusFamily(f.getKey(), o.type, o.help, o.lines));
    }
    return all;
  }

  private static String labels(Map<String, String> labels) {
    StringBuilder extra = new StringBuilder();
    for (Map.Entry<String, String> l : new TreeMap<>(labels).entrySet()) {
      if (!LABEL.matcher(l.getKey()).matches()) {
        throw new IllegalArgumentException("Not a Prometheus label name: " + l.getKey());
      }
      extra.append(extra.length() == 0 ? "" : ",").append(l.getKey()).append("=\"");
      RpcMetricFamily.escape(l.getValue(), extra);
      extra.append('"');
    }
    return extra.toString();
  }

  private static String join(String a, String b) {
    return a.isEmpty() ? b : b.isEmpty() ? a : a + "," + b;
  }

  private void add(String registered, Metric metric, String extra) {
    String base = registered;
    String own = "";
    int brace = registered.indexOf('{');
    if (brace > 0 && registered.endsWith("}")) {
      base = registered.substring(0, brace);
      own = registered.substring(brace + 1, registered.length() - 1);
    }
    base = validName(base);
    String labels = join(extra, own);
    RpcMetricFamily known = RpcMetricFamily.ALL.get(base);
    if (metric instanceof Counter c) {
      String name = base.endsWith("_total") ? base : base + "_total";
      family(name, "counter", known, registered).add(sample(name, labels, c.getCount()));
    } else if (metric instanceof Meter m) {
      String name = base.endsWith("_total") ? base : base + "_total";
      family(name, "counter", known, registered).add(sample(name, labels, m.getCount()));
    } else if (metric instanceof Gauge<?> g) {
      Object v = g.getValue();
      double value;
      if (v instanceof Number n) {
        value = n.doubleValue();
      } else if (v instanceof Boolean b) {
        value = b ? 1 : 0;
      } else {
        return; // not a number: nothing Prometheus can hold
      }
      family(base, "gauge", known, registered).add(sample(base, labels, value));
    } else if (metric instanceof Histogram h) {
      Snapshot s = h.getSnapshot();
      if (s instanceof BucketCounts b && base.endsWith("_seconds")) {
        histogram(family(base, "histogram", known, registered), base, labels, b);
      } else {
        summary(family(base, "summary", known, registered), base, labels, s, h.getCount(), 1);
      }
    } else if (metric instanceof Timer t) {
      String name = base.endsWith("_seconds") ? base : base + "_seconds";
      summary(
          family(name, "summary", known, registered),
          name,
          labels,
          t.getSnapshot(),
          t.getCount(),
          NANOS_PER_SECOND);
    }
  }

  private Out family(String name, String type, @Nullable RpcMetricFamily known, String registered) {
    String help = known != null ? known.help() : "Dropwizard metric " + registered + ".";
    Out out = families.computeIfAbsent(name, n -> new Out(type, help));
    // Two metrics whose names become one of different types: the first keeps the name.
    return out.type.equals(type) ? out : new Out(type, help);
  }

  private static void histogram(Out out, String name, String labels, BucketCounts b) {
    String pre = labels.isEmpty() ? "" : labels + ",";
    for (int k = 10; k <= 35; k++) {
      long bound = 1L << k;
      out.add(
          sample(
              name + "_bucket",
              pre + "le=\"" + format(bound / NANOS_PER_SECOND) + "\"",
              b.countBelow(bound)));
    }
    out.add(sample(name + "_bucket", pre + "le=\"+Inf\"", b.count()));
    out.add(sample(name + "_sum", labels, b.sum() / NANOS_PER_SECOND));
    out.add(sample(name + "_count", labels, b.count()));
  }

  private static void summary(
      Out out, String name, String labels, Snapshot s, long count, double divisor) {
    String pre = labels.isEmpty() ? "" : labels + ",";
    for (double q : new double[] {0.5, 0.99}) {
      out.add(sample(name, pre + "quantile=\"" + q + "\"", s.getValue(q) / divisor));
    }
    out.add(sample(name + "_sum", labels, s.getMean() * count / divisor));
    out.add(sample(name + "_count", labels, count));
  }

  /** A count, held as a double as Prometheus holds every value (exact up to 2^53). */
  private static Sample sample(String name, String labels, long value) {
    return new Sample(name, labels, (double) value);
  }

  private static Sample sample(String name, String labels, double value) {
    return new Sample(name, labels, value);
  }

  private static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.isNaN(v) ? "NaN" : Double.toString(v);
  }

  /**
   * {@code name} with every character Prometheus does not allow in a name made {@code _}, and a
   * {@code _} before a leading digit.
   */
  private static String validName(String name) {
    StringBuilder b = new StringBuilder(name.length() + 1);
    if (!name.isEmpty() && name.charAt(0) >= '0' && name.charAt(0) <= '9') {
      b.append('_');
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || c == '_'
              || c == ':'
              || (c >= '0' && c <= '9');
      b.append(ok ? c : '_');
    }
    return b.length() == 0 ? "_" : b.toString();
  }

  /** The text: each family's HELP and TYPE lines, then its samples. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Out> f : families.entrySet()) {
      b.append("# HELP ").append(f.getKey()).append(' ');
      b.append(f.getValue().help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
      b.append("# TYPE ").append(f.getKey()).append(' ').append(f.getValue().type).append('\n');
      for (Sample line : f.getValue().lines) {
        b.append(line.name());
        if (!line.labels().isEmpty()) {
          b.append('{').append(line.labels()).append('}');
        }
        b.append(' ').append(format(line.value())).append('\n');
      }
    }
    return b.toString();
  }
}
