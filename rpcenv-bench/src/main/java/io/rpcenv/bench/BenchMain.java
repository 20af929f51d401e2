package io.rpcenv.bench;

import io.rpcenv.bench.harness.Peer;
import io.rpcenv.bench.harness.Result;
import io.rpcenv.bench.harness.Runner;
import io.rpcenv.bench.harness.Workload;
import io.rpcenv.bench.harness.Workloads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs every workload against every system, interleaved (A B C D, A B C D, ...), and prints a
 * markdown table of medians (min–max over the rounds) with the ratios rpcenv / peer and the targets
 * of issue 5; writes it between the result markers of {@code docs/BENCHMARKS.md}.
 *
 * <pre>
 * ./bench.sh [--rounds 3] [--warmup-ms 2000] [--fan-in-warmup-ms 12000] [--measure-ms 3000]
 *            [--workloads W1,W2] [--systems rpcenv,spark]
 *            [--messages 1000000] [--idle-connections 10000] [--out docs/BENCHMARKS.md]
 *            [--charts DIR]   (PNG charts; with --out, into bench/ beside the output file)
 *            [--compare ../other-checkout]   (adds systems base and base-inline: rpcenv's jars as built there)
 * </pre>
 */
public final class BenchMain {
  static final String BEGIN = "<!-- bench:results:begin -->";
  static final String END = "<!-- bench:results:end -->";

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    try {
      run(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.exit(2);
    }
  }

  private static void run(String[] args) throws Exception {
    Map<String, String> opt = options(args);
    // A full run: 3 rounds of 3 s windows keep everything (sweeps, TLS, W7) within ~40 minutes.
    int rounds = Integer.parseInt(opt.getOrDefault("rounds", "3"));
    Workloads.Params params =
        new Workloads.Params(
            Long.parseLong(opt.getOrDefault("warmup-ms", "2000")),
            Long.parseLong(opt.getOrDefault("measure-ms", "3000")),
            1000,
            8,
            Integer.parseInt(opt.getOrDefault("messages", "1000000")));
    String benchCp =
        Files.readString(Path.of(opt.get("bench-classpath"))).trim()
            + ":"
            + opt.get("bench-classes");
    String sparkCp =
        Files.readString(Path.of(opt.get("spark-classpath"))).trim()
            + ":"
            + opt.get("spark-classes");
    List<Workload> workloads =
        opt.containsKey("workloads")
            ? Arrays.stream(opt.get("workloads").split(",")).map(BenchMain::workload).toList()
            : List.of(Workload.values());
    Versions versions = Versions.of(benchCp, sparkCp);
    Map<String, Peer> all = Systems.all(benchCp, sparkCp, versions);
    if (opt.containsKey("compare")) {
      addComparison(all, Path.of(opt.get("compare")), opt.get("bench-classes"));
    }
    List<String> keys =
        opt.containsKey("systems")
            ? List.of(opt.get("systems").split(","))
            : all.keySet().stream().filter(k -> !Systems.onRequestOnly(k)).toList();
    for (String k : keys) {
      if (!all.containsKey(k)) {
        throw new IllegalArgumentException(
            "unknown system '" + k + "' in --systems; known: " + all.keySet());
      }
    }

    Map<String, Map<Workload, List<Result>>> results = new LinkedHashMap<>();
    long fanInWarmup = Long.parseLong(opt.getOrDefault("fan-in-warmup-ms", "12000"));
    Runner runner = new Runner(params, fanInWarmup);
    for (int round = 1; round <= rounds; round++) {
      for (Workload w : workloads) {
        for (String key : keys) {
          Peer p = all.get(key);
          if (!p.workloads().contains(w)) {
            continue;
          }
          long t0 = System.nanoTime();
          Result r;
          try {
            r = runner.run(p, w);
          } catch (Exception e) { // one system's failure (or hang) is reported, not the run's end
            System.err.printf(
                Locale.ROOT, "round %d %s %-20s FAILED: %s%n", round, w, p.label(), e.getMessage());
            continue;
          }
          results
              .computeIfAbsent(key, k -> new EnumMap<>(Workload.class))
              .computeIfAbsent(w, k -> new ArrayList<>())
              .add(r);
          System.err.printf(
              Locale.ROOT,
              "round %d %s %-20s %,14.1f %s%s (%.1f s)%n",
              round,
              w,
              p.label(),
              r.rate(),
              w.unit(),
              r.latencyMicros() == null
                  ? ""
                  : String.format(
                      Locale.ROOT, ", p99 %d us", r.latencyMicros().getValueAtPercentile(99)),
              (System.nanoTime() - t0) / 1e9);
        }
      }
    }
    String table =
        Report.markdown(
            results,
            all,
            keys,
            workloads,
            rounds,
            params,
            fanInWarmup,
            String.join(" ", args),
            versions);
    int idle = Integer.parseInt(opt.getOrDefault("idle-connections", "10000"));
    if (idle > 0 && keys.contains("rpcenv")) {
      table += "\n" + IdleFootprint.measure(idle, benchCp).markdown();
    }
    Path charts =
        opt.containsKey("charts")
            ? Path.of(opt.get("charts"))
            : opt.containsKey("out") ? Path.of(opt.get("out")).toAbsolutePath().getParent() : null;
    if (charts != null) {
      Path chartDir = opt.containsKey("charts") ? charts : charts.resolve("bench");
      table +=
          "\n" + Charts.write(results, all, chartDir.toAbsolutePath(), charts.toAbsolutePath());
    }
    System.out.println(table);
    if (opt.containsKey("out")) {
      Path out = Path.of(opt.get("out"));
      String doc =
          Files.exists(out)
              ? Files.readString(out)
              : "# Benchmarks\n\n" + BEGIN + "\n" + END + "\n";
      int from = doc.indexOf(BEGIN);
      int to = doc.indexOf(END);
      Files.writeString(
          out, doc.substring(0, from + BEGIN.length()) + "\n" + table + doc.substring(to));
      System.err.println("wrote " + out.toAbsolutePath());
    }
  }

  /**
   * Adds rpcenv as built in another checkout ({@code dir}, for instance a git worktree at an
   * earlier commit, built with {@code mvn -Pbench package -DskipTests}) as the systems "base" and
   * "base-inline", so that a change is measured against what it changes in the same interleaved
   * run.
   */
  /**
   * Adds systems "base" and "base-inline": this checkout's harness and peers (so that a change to
   * the harness's protocol does not matter) running on the rpcenv jars built in {@code dir}.
   */
  static void addComparison(Map<String, Peer> all, Path dir, String benchClasses) throws Exception {
    Path cp = dir.resolve("rpcenv-bench/target/bench.classpath");
    if (!Files.isRegularFile(cp)) {
      throw new IllegalArgumentException(
          "--compare "
              + dir
              + " has no "
              + cp
              + ": build it there first with "
              + "mvn -B -Pbench package -DskipTests");
    }
    String classpath = benchClasses + ":" + Files.readString(cp).trim();
    String commit =
        new String(
                new ProcessBuilder("git", "-C", dir.toString(), "rev-parse", "--short", "HEAD")
                    .redirectErrorStream(true)
                    .start()
                    .getInputStream()
                    .readAllBytes())
            .trim();
    all.put(
        "base",
        Systems.rpcenv("rpcenv @ " + commit, classpath, List.of(), EnumSet.allOf(Workload.class)));
    all.put(
        "base-inline",
        Systems.rpcenv(
            "rpcenv (inline) @ " + commit,
            classpath,
            List.of("-Dbench.rpcenv.inline=true"),
            EnumSet.allOf(Workload.class)));
  }

  /** What spark-submit adds to every Spark JVM on Java 17. */
  static final List<String> SPARK_JVM_OPTIONS =
      List.of(
          "-XX:+IgnoreUnrecognizedVMOptions",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
          "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
          "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
          "-Djdk.reflect.useDirectMethodHandle=false",
          "-Dio.netty.tryReflectionSetAccessible=true");

  private static final List<String> OPTIONS =
      List.of(
          "rounds",
          "warmup-ms",
          "fan-in-warmup-ms",
          "measure-ms",
          "messages",
          "workloads",
          "systems",
          "out",
          "idle-connections",
          "charts",
          "bench-classpath",
          "bench-classes",
          "spark-classpath",
          "spark-classes",
          "compare");

  private static Map<String, String> options(String[] args) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException(
            "options are --name value pairs; got " + Arrays.toString(args));
      }
      String name = args[i].substring(2);
      if (!OPTIONS.contains(name)) {
        throw new IllegalArgumentException(
            "unknown option --" + name + "; known: --" + String.join(", --", OPTIONS));
      }
      m.put(name, args[++i]);
    }
    return m;
  }

  private static Workload workload(String name) {
    try {
      return Workload.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown workload '"
              + name
              + "' in --workloads; known: "
              + Arrays.toString(Workload.values()));
    }
  }
}
