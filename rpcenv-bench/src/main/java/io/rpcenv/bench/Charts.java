package io.rpcenv.bench;

import io.rpcenv.bench.harness.Peer;
import io.rpcenv.bench.harness.Result;
import io.rpcenv.bench.harness.Workload;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleBiFunction;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The charts drawn next to the tables (PNG, with XChart): asks/s and p99 against the number of
 * fan-in clients, MiB/s against message size, and W1's latency distribution, for rpcenv, Spark and
 * raw Netty. Each point is the median over the rounds, as in the tables.
 */
final class Charts {
  private Charts() {}

  /** The systems drawn, in this order. */
  static final List<String> DRAWN = List.of("rpcenv", "rpcenv-inline", "spark", "netty");

  /** Each system's colour, the same in every chart (index as in {@link #DRAWN}). */
  private static final List<Color> COLOURS =
      List.of(
          new Color(0x1f, 0x5f, 0xbf),
          new Color(0x6c, 0xb4, 0xee),
          new Color(0xe0, 0x7b, 0x00),
          new Color(0x2c, 0xa0, 0x2c));

  private static final List<Workload> FAN_IN =
      List.of(Workload.N1, Workload.N8, Workload.W5, Workload.N64, Workload.N512);

  /** Message sizes: W1 is 16 B asks, W4 8 MiB ones. */
  private static final List<Workload> SIZES =
      List.of(Workload.W1, Workload.S1K, Workload.S64K, Workload.S1M, Workload.W4, Workload.S64M);

  /**
   * Writes the charts the results allow into {@code dir}; returns markdown that shows them (paths
   * relative to {@code relativeTo}).
   */
  static String write(
      Map<String, Map<Workload, List<Result>>> results,
      Map<String, Peer> peers,
      Path dir,
      Path relativeTo)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(dir);
    StringBuilder md = new StringBuilder();
    XYChart asks = chart("Fan-in: total asks/s against client envs", "client envs", "asks/s");
    XYChart p99 = chart("Fan-in: p99 latency against client envs", "client envs", "p99 (us)");
    XYChart sizes = chart("Throughput against message size (one ask at a time)", "bytes", "MiB/s");
    XYChart latency =
        chart("W1 latency distribution (every round's asks)", "percentile", "latency (us)");
    asks.getStyler().setYAxisLogarithmic(false).setYAxisMin(0.0);
    for (String key : DRAWN) {
      Map<Workload, List<Result>> mine = results.get(key);
      if (mine == null) {
        continue;
      }
      String label = peers.get(key).label();
      Color colour = COLOURS.get(DRAWN.indexOf(key));
      colour(series(asks, label, mine, FAN_IN, w -> w.clients(), (w, r) -> r.rate()), colour);
      colour(
          series(
              p99,
              label,
              mine,
              FAN_IN,
              w -> w.clients(),
              (w, r) -> r.latencyMicros().getValueAtPercentile(99)),
          colour);
      colour(series(sizes, label, mine, SIZES, w -> w.size(), Charts::mibPerSecond), colour);
      colour(percentiles(latency, label, mine.get(Workload.W1)), colour);
    }
    for (Object[] c :
        new Object[][] {
          {asks, "fan-in-asks"}, {p99, "fan-in-p99"}, {sizes, "sizes"}, {latency, "w1-latency"}
        }) {
      XYChart chart = (XYChart) c[0];
      if (chart.getSeriesMap().isEmpty()) {
        continue;
      }
      Path png = dir.resolve(c[1] + ".png");
      BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
      md.append("![")
          .append(chart.getTitle())
          .append("](")
          .append(relativeTo.relativize(png).toString().replace('\\', '/'))
          .append(")\n");
    }
    return md.toString();
  }

  private static XYChart chart(String title, String x, String y) {
    XYChart c =
        new XYChartBuilder()
            .width(760)
            .height(420)
            .title(title)
            .xAxisTitle(x)
            .yAxisTitle(y)
            .build();
    c.getStyler().setXAxisLogarithmic(!x.equals("percentile"));
    c.getStyler().setYAxisLogarithmic(true);
    c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
    c.getStyler().setMarkerSize(7);
    c.getStyler().setYAxisDecimalPattern("#,###.#");
    if (x.equals("percentile")) {
      c.getStyler().setXAxisMin(0.0).setXAxisMax(4.0).setXAxisTickMarkSpacingHint(150);
    } else {
      c.getStyler().setXAxisDecimalPattern("#,###");
    }
    return c;
  }

  /**
   * A system's line through {@code points}, or null if it has fewer than two of them or misses one
   * between its first and last (a line across it would show figures nobody measured).
   */
  private static XYSeries series(
      XYChart chart,
      String label,
      Map<Workload, List<Result>> mine,
      List<Workload> points,
      ToDoubleFunction<Workload> x,
      ToDoubleBiFunction<Workload, Result> y) {
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    boolean gap = false;
    for (Workload w : points) {
      List<Result> rs = mine.get(w);
      if (rs == null || rs.isEmpty() || (w.hasLatency() && rs.get(0).latencyMicros() == null)) {
        gap = !xs.isEmpty();
        continue;
      }
      if (gap) {
        return null;
      }
      xs.add(x.applyAsDouble(w));
      ys.add(median(rs, r -> y.applyAsDouble(w, r)));
    }
    if (xs.size() < 2) {
      return null;
    }
    XYSeries s = chart.addSeries(label, xs, ys);
    s.setMarker(SeriesMarkers.CIRCLE);
    return s;
  }

  private static void colour(XYSeries s, Color c) {
    if (s != null) {
      s.setLineColor(c);
      s.setMarkerColor(c);
    }
  }

  /** A size run's rate in MiB/s: W1 reports asks/s (of 16 bytes), the others MiB/s. */
  private static double mibPerSecond(Workload w, Result r) {
    return w == Workload.W1 ? r.rate() * w.size() / (1024.0 * 1024.0) : r.rate();
  }

  /** Percentiles 50 to 99.99 of the rounds' merged histogram, on a "nines" axis. */
  private static XYSeries percentiles(XYChart chart, String label, List<Result> rs) {
    if (rs == null || rs.isEmpty()) {
      return null;
    }
    Histogram all = new Histogram(60_000_000L, 3);
    for (Result r : rs) {
      all.add(r.latencyMicros());
    }
    double[] pcts = {50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99};
    double[] xs = new double[pcts.length];
    double[] ys = new double[pcts.length];
    for (int i = 0; i < pcts.length; i++) {
      xs[i] = Math.log10(100 / (100 - pcts[i])); // 50 % -> 0.3, 99 % -> 2, 99.99 % -> 4
      ys[i] = Math.max(1, all.getValueAtPercentile(pcts[i]));
    }
    chart
        .getStyler()
        .setxAxisTickLabelsFormattingFunction(
            v -> String.format(Locale.ROOT, "%s%%", trim(100 - 100 / Math.pow(10, v))));
    XYSeries s = chart.addSeries(label, xs, ys);
    s.setMarker(SeriesMarkers.CIRCLE);
    return s;
  }

  private static String trim(double pct) {
    String s = String.format(Locale.ROOT, "%.3f", pct);
    return s.replaceAll("\\.?0+$", "");
  }

  private static double median(List<Result> rs, ToDoubleFunction<Result> y) {
    List<Double> v = new ArrayList<>();
    for (Result r : rs) {
      v.add(y.applyAsDouble(r));
    }
    v.sort(null);
    int n = v.size();
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
  }
}
