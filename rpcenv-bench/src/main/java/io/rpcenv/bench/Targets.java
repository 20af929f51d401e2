package io.rpcenv.bench;

import io.rpcenv.bench.harness.Result;
import io.rpcenv.bench.harness.Workload;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The issues' targets, each with the ratio measured in this run and whether it is met. "rpcenv" is
 * the default (plain) endpoints throughout.
 */
final class Targets {
  private Targets() {}

  private static final ToDoubleFunction<Result> RATE = Result::rate;
  private static final ToDoubleFunction<Result> P99 =
      x -> x.latencyMicros().getValueAtPercentile(99);
  private static final ToDoubleFunction<Result> P999 =
      x -> x.latencyMicros().getValueAtPercentile(99.9);

  static String markdown(Map<String, Map<Workload, List<Result>>> r) {
    StringBuilder sb = new StringBuilder("| Target | Measured | Met |\n|---|---|---|\n");
    // Issue 14: default endpoints against raw Netty, TLS, authentication, W7, scale.
    atLeast(sb, r, "W1 asks/s ≥ 1.0 × raw Netty (14)", Workload.W1, "rpcenv", "netty", RATE, 1.0);
    atMost(sb, r, "W1 p99 ≤ 1.25 × raw Netty's (14)", Workload.W1, "rpcenv", "netty", P99, 1.25);
    atMost(sb, r, "W1 p99.9 ≤ 2 × raw Netty's (14)", Workload.W1, "rpcenv", "netty", P999, 2.0);
    atLeast(
        sb,
        r,
        "W1 asks/s, inline endpoints, against raw Netty (14, for reference)",
        Workload.W1,
        "rpcenv-inline",
        "netty",
        RATE,
        1.0);
    atLeast(sb, r, "W2 asks/s ≥ 0.9 × raw Netty (14)", Workload.W2, "rpcenv", "netty", RATE, 0.9);
    atLeast(sb, r, "W4 MiB/s ≥ 0.95 × raw Netty (14)", Workload.W4, "rpcenv", "netty", RATE, 0.95);
    atLeast(sb, r, "W5 asks/s ≥ 0.9 × raw Netty (14)", Workload.W5, "rpcenv", "netty", RATE, 0.9);
    atMost(sb, r, "W5 p99 ≤ raw Netty's (14)", Workload.W5, "rpcenv", "netty", P99, 1.0);
    atLeast(
        sb,
        r,
        "W2 TLS ≥ 0.7 × rpcenv without (14)",
        Workload.W2,
        "rpcenv-tls",
        "rpcenv",
        RATE,
        0.7);
    atLeast(
        sb,
        r,
        "W4 TLS ≥ 0.7 × rpcenv without (14)",
        Workload.W4,
        "rpcenv-tls",
        "rpcenv",
        RATE,
        0.7);
    atLeast(
        sb,
        r,
        "W2 TLS ≥ 3 × Spark with TLS (14)",
        Workload.W2,
        "rpcenv-tls",
        "spark-tls",
        RATE,
        3.0);
    atLeast(
        sb,
        r,
        "W2 authentication costs ≤ 3 % (14)",
        Workload.W2,
        "rpcenv-auth",
        "rpcenv",
        RATE,
        0.97);
    atLeast(sb, r, "W7 record ≥ 5 × Spark (14)", Workload.W7R, "rpcenv", "spark", RATE, 5.0);
    atLeast(sb, r, "W7 class ≥ 5 × Spark (14)", Workload.W7C, "rpcenv", "spark", RATE, 5.0);
    atLeast(
        sb, r, "W7 class, Kryo ≥ 5 × Spark (14)", Workload.W7C, "rpcenv-kryo", "spark", RATE, 5.0);
    double best = Double.NaN;
    for (Workload w : List.of(Workload.N1, Workload.N8, Workload.N64, Workload.N512)) {
      double v = Report.median(r, "rpcenv", w, RATE);
      best = Double.isNaN(best) || v > best ? v : best;
    }
    line(
        sb,
        "fan-in of 512 client envs ≥ 0.8 × rpcenv's best of 1/8/64/512 (14)",
        Report.median(r, "rpcenv", Workload.N512, RATE) / best,
        0.8,
        true);
    // Issue 13: the file server.
    atLeast(sb, r, "F1 MiB/s ≥ Spark (13)", Workload.F1, "rpcenv", "spark", RATE, 1.0);
    atLeast(sb, r, "F1 MiB/s ≥ 0.8 × raw Netty (13)", Workload.F1, "rpcenv", "netty", RATE, 0.8);
    // Issue 5, now with the default endpoints.
    atLeast(sb, r, "W1 asks/s ≥ 3.0 × Spark (5)", Workload.W1, "rpcenv", "spark", RATE, 3.0);
    atMost(sb, r, "W1 p99 ≤ Spark's p99 / 2 (5)", Workload.W1, "rpcenv", "spark", P99, 0.5);
    atLeast(sb, r, "W2 asks/s ≥ 3.0 × Spark (5)", Workload.W2, "rpcenv", "spark", RATE, 3.0);
    atLeast(sb, r, "W3 msgs/s ≥ 5.0 × Spark (5)", Workload.W3, "rpcenv", "spark", RATE, 5.0);
    atLeast(
        sb,
        r,
        "W3 msgs/s ≥ 0.5 × write-batching raw Netty (5)",
        Workload.W3,
        "rpcenv",
        "netty",
        RATE,
        0.5);
    atLeast(sb, r, "W4 MiB/s ≥ 2.0 × Spark (5)", Workload.W4, "rpcenv", "spark", RATE, 2.0);
    atLeast(sb, r, "W5 asks/s ahead of Spark (5)", Workload.W5, "rpcenv", "spark", RATE, 1.0);
    atMost(sb, r, "W5 p99 below Spark's (5)", Workload.W5, "rpcenv", "spark", P99, 1.0);
    atLeast(sb, r, "W6 asks/s ahead of Spark (5)", Workload.W6, "rpcenv", "spark", RATE, 1.0);
    return sb.toString();
  }

  private static void atLeast(
      StringBuilder sb,
      Map<String, Map<Workload, List<Result>>> r,
      String what,
      Workload w,
      String ours,
      String theirs,
      ToDoubleFunction<Result> metric,
      double bound) {
    line(sb, what, ratio(r, w, ours, theirs, metric), bound, true);
  }

  private static void atMost(
      StringBuilder sb,
      Map<String, Map<Workload, List<Result>>> r,
      String what,
      Workload w,
      String ours,
      String theirs,
      ToDoubleFunction<Result> metric,
      double bound) {
    line(sb, what, ratio(r, w, ours, theirs, metric), bound, false);
  }

  static double ratio(
      Map<String, Map<Workload, List<Result>>> r,
      Workload w,
      String ours,
      String theirs,
      ToDoubleFunction<Result> metric) {
    return Report.median(r, ours, w, metric) / Report.median(r, theirs, w, metric);
  }

  private static void line(
      StringBuilder sb, String what, double ratio, double bound, boolean atLeast) {
    String met =
        Double.isNaN(ratio)
            ? "not run"
            : (atLeast ? ratio >= bound : ratio <= bound) ? "yes" : "**no**";
    sb.append("| ")
        .append(what)
        .append(" | ")
        .append(Double.isNaN(ratio) ? "—" : String.format(Locale.ROOT, "%.2f ×", ratio))
        .append(" | ")
        .append(met)
        .append(" |\n");
  }
}
