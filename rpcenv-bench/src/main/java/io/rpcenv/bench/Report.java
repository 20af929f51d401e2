package io.rpcenv.bench;

import io.rpcenv.bench.harness.Peer;
import io.rpcenv.bench.harness.Result;
import io.rpcenv.bench.harness.Runner;
import io.rpcenv.bench.harness.Workload;
import io.rpcenv.bench.harness.Workloads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The markdown report: machine, versions, flags, results with ratios, and the targets. */
final class Report {
  private Report() {}

  static String markdown(
      Map<String, Map<Workload, List<Result>>> results,
      Map<String, Peer> peers,
      List<String> keys,
      List<Workload> workloads,
      int rounds,
      Workloads.Params params,
      long fanInWarmupMillis,
      String args,
      Versions v) {
    StringBuilder sb = new StringBuilder();
    // bench.sh adds the class paths, and the output file when run without options
    String command =
        ("./bench.sh "
                + args.replaceAll("--(bench|spark)-(classpath|classes) \\S+ ?", "")
                    .replaceAll("--out docs/BENCHMARKS.md ?", ""))
            .trim();
    sb.append("Run ")
        .append(Instant.now())
        .append(" with `")
        .append(command)
        .append("`: ")
        .append(rounds)
        .append(" interleaved rounds, ")
        .append(params.warmupMillis())
        .append(" ms warm-up (")
        .append(fanInWarmupMillis)
        .append(" ms for fan-in workloads, whose up to five JVMs compile at once) and ")
        .append(params.measureMillis())
        .append(" ms measurement per run; every system in its own server JVM and ")
        .append(
            "client JVM(s) on 127.0.0.1. Figures are medians over the rounds, (min–max) below"
                + " them.\n\n");
    sb.append(machine(v)).append('\n');

    sb.append("| Workload | ");
    for (String k : keys) {
      sb.append(peers.get(k).label()).append(" | ");
    }
    sb.append("rpcenv / Spark | rpcenv / gRPC | rpcenv / Netty |\n|---|");
    sb.append("---|".repeat(keys.size() + 3)).append('\n');
    for (Workload w : workloads) {
      row(
          sb,
          w.name() + " " + w.description() + " (" + w.unit() + ")",
          results,
          keys,
          w,
          Result::rate,
          "%,.0f");
      if (w.hasLatency()) {
        for (double pct : new double[] {50, 99, 99.9}) {
          row(
              sb,
              w.name()
                  + " p"
                  + (pct == 99.9 ? "99.9" : String.valueOf((int) pct))
                  + " latency (us, lower is "
                  + "better)",
              results,
              keys,
              w,
              r -> r.latencyMicros().getValueAtPercentile(pct),
              "%,.0f");
        }
      }
    }
    sb.append('\n').append(Targets.markdown(results)).append('\n');
    return sb.toString();
  }

  private static void row(
      StringBuilder sb,
      String title,
      Map<String, Map<Workload, List<Result>>> results,
      List<String> keys,
      Workload w,
      ToDoubleFunction<Result> metric,
      String fmt) {
    sb.append("| ").append(title).append(" | ");
    for (String k : keys) {
      List<Result> rs = results.getOrDefault(k, Map.of()).get(w);
      if (rs == null || rs.isEmpty()) {
        sb.append("— | ");
        continue;
      }
      List<Double> v = values(rs, metric);
      sb.append(String.format(Locale.ROOT, fmt, median(v)))
          .append("<br>(")
          .append(String.format(Locale.ROOT, fmt, v.get(0)))
          .append("–")
          .append(String.format(Locale.ROOT, fmt, v.get(v.size() - 1)))
          .append(") | ");
    }
    double ours = median(results, "rpcenv", w, metric);
    for (String peer : new String[] {"spark", "grpc", "netty"}) {
      double theirs = median(results, peer, w, metric);
      sb.append(
              Double.isNaN(ours) || Double.isNaN(theirs)
                  ? "—"
                  : String.format(Locale.ROOT, "%.2f", ours / theirs))
          .append(" | ");
    }
    sb.append('\n');
  }

  static double median(
      Map<String, Map<Workload, List<Result>>> results,
      String key,
      Workload w,
      ToDoubleFunction<Result> metric) {
    List<Result> rs = results.getOrDefault(key, Map.of()).get(w);
    return rs == null || rs.isEmpty() ? Double.NaN : median(values(rs, metric));
  }

  private static List<Double> values(List<Result> rs, ToDoubleFunction<Result> metric) {
    List<Double> v = new ArrayList<>();
    for (Result r : rs) {
      v.add(metric.applyAsDouble(r));
    }
    Collections.sort(v);
    return v;
  }

  private static double median(List<Double> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static String machine(Versions v) {
    String cpu = firstLine("/proc/cpuinfo", "model name");
    String mem = firstLine("/proc/meminfo", "MemTotal");
    return "Machine: "
        + Runtime.getRuntime().availableProcessors()
        + " cores ("
        + cpu
        + "), "
        + mem
        + ", Linux "
        + System.getProperty("os.version")
        + "; JDK "
        + System.getProperty("java.vm.name")
        + " "
        + System.getProperty("java.runtime.version")
        + ". Versions: rpcenv "
        + v.rpcenv()
        + " (commit "
        + v.commit()
        + ") on Netty "
        + v.netty()
        + " (native epoll), Spark "
        + v.spark()
        + " (its own Netty "
        + v.sparkNetty()
        + ", its default NIO transport), gRPC-java "
        + v.grpc()
        + " (grpc-netty-shaded, direct executors), raw "
        + "Netty "
        + v.netty()
        + " (epoll). JVM options of every benchmark JVM: `"
        + String.join(" ", Runner.COMMON_JVM_OPTIONS)
        + "`; Spark's JVMs also get the `--add-opens` set that spark-submit adds on Java 17."
        + " The \"rpcenv\" column is what a user gets by default: plain endpoints, handled on"
        + " dispatcher threads; \"rpcenv (inline)\" uses `InlineRpcEndpoint`s (handled on the I/O"
        + " thread). TLS columns use a key pair made for the run (rpcenv: OpenSSL unless the column"
        + " says JDK; Spark: its default JDK engine).\n";
  }

  private static String firstLine(String file, String key) {
    try {
      for (String line : Files.readAllLines(Path.of(file))) {
        if (line.startsWith(key)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return "unknown";
  }
}
