package io.rpcenv.bench.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** Runs one workload against one peer: a server JVM and one or more client JVMs. */
public final class Runner {
  /** Options of every benchmark JVM. */
  public static final List<String> COMMON_JVM_OPTIONS =
      List.of(
          "-Xms1g",
          "-Xmx1g",
          "-XX:+AlwaysPreTouch",
          "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

  /**
   * Options added to every benchmark JVM from the environment variable RPCENV_BENCH_JVM_OPTS
   * (separated by spaces), to profile a run: {@code
   * -XX:StartFlightRecording=filename=/tmp/jfr/,settings=profile} (a folder: one recording per
   * JVM).
   */
  private static final List<String> PROFILING_OPTIONS =
      System.getenv().getOrDefault("RPCENV_BENCH_JVM_OPTS", "").isBlank()
          ? List.of()
          : List.of(System.getenv("RPCENV_BENCH_JVM_OPTS").trim().split("\\s+"));

  private final Workloads.Params params;
  private final long fanInWarmupMillis;

  /**
   * @param params the windows and sizes of every run
   * @param fanInWarmupMillis the warm-up of fan-in runs instead of {@code params}' (their client
   *     JVMs, up to four beside the server's on a small machine, compile for longer)
   */
  public Runner(Workloads.Params params, long fanInWarmupMillis) {
    this.params = params;
    this.fanInWarmupMillis = fanInWarmupMillis;
  }

  /** One run; throws if a JVM fails or prints no result. */
  public Result run(Peer peer, Workload w) throws Exception {
    int endpoints = w == Workload.W6 ? params.endpoints() : 1;
    long warmup = w.clients() > 0 ? fanInWarmupMillis : params.warmupMillis();
    List<String> serverOptions =
        w == Workload.F1 ? List.of("-Dbench.file=" + benchFile()) : List.of();
    Process server = start(peer, serverOptions, List.of("server", String.valueOf(endpoints)));
    List<Process> clients = new ArrayList<>();
    // A run that hangs (a peer that drops what it cannot take, say) is ended, and fails alone.
    ScheduledFuture<?> watchdog =
        WATCHDOG.schedule(
            () -> {
              clients.forEach(Process::destroyForcibly);
              server.destroyForcibly();
            },
            warmup + params.measureMillis() + 180_000,
            TimeUnit.MILLISECONDS);
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String port = null;
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith("READY ")) {
          port = line.substring(6).trim();
          break;
        }
      }
      if (port == null) {
        throw new IllegalStateException(peer.label() + " server did not start");
      }
      drain(out);
      int jvms = w.clientJvms();
      int perJvm = w.clients() == 0 ? 1 : w.clients() / jvms;
      for (int i = 0; i < jvms; i++) {
        clients.add(
            start(
                peer,
                List.of(),
                List.of(
                    "client",
                    w.name(),
                    port,
                    String.valueOf(endpoints),
                    String.valueOf(perJvm),
                    String.valueOf(params.messages()),
                    String.valueOf(warmup),
                    String.valueOf(params.measureMillis()))));
      }
      // Every client JVM connects first; then all start together, so their windows overlap.
      List<BufferedReader> outs = new ArrayList<>();
      StringBuilder early = new StringBuilder();
      for (Process c : clients) {
        BufferedReader o =
            new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = o.readLine()) != null && !line.equals(PeerMain.CONNECTED)) {
          early.append(line).append('\n');
        }
        if (line == null) {
          throw new IllegalStateException(peer.label() + " client did not connect:\n" + early);
        }
        outs.add(o);
      }
      for (Process c : clients) {
        c.getOutputStream().write(PeerMain.GO.getBytes(StandardCharsets.UTF_8));
        c.getOutputStream().flush();
      }
      double rate = 0;
      Histogram merged = null;
      for (int i = 0; i < clients.size(); i++) {
        Result r = resultOf(peer, clients.get(i), outs.get(i));
        rate += r.rate();
        if (r.latencyMicros() != null) {
          if (merged == null) {
            merged = new Histogram(60_000_000L, 3);
          }
          merged.add(r.latencyMicros());
        }
      }
      return new Result(rate, merged);
    } finally {
      watchdog.cancel(false);
      clients.forEach(Process::destroyForcibly); // gone already unless the run failed
      server.getOutputStream().close();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor();
      }
    }
  }

  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "bench-watchdog");
            t.setDaemon(true);
            return t;
          });

  private Result resultOf(Peer peer, Process client, BufferedReader out) throws Exception {
    Result result = null;
    StringBuilder other = new StringBuilder();
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith(Result.PREFIX)) {
        result = Result.parse(line);
      } else if (other.length() < 20_000) {
        other.append(line).append('\n');
      }
    }
    if (!client.waitFor(120, TimeUnit.SECONDS)) {
      client.destroyForcibly();
    }
    if (result == null) {
      throw new IllegalStateException(
          peer.label() + " client printed no result (exit " + client.exitValue() + "):\n" + other);
    }
    return result;
  }

  /**
   * The F1 file: 1 GiB, made once per run as a sparse file (read from the page cache as zeros, the
   * same for every system), deleted when the run's JVM exits.
   */
  private static synchronized Path benchFile() throws IOException {
    if (file == null) {
      Path dir = Files.createTempDirectory("rpcenv-bench");
      Path f = dir.resolve(Workloads.FILE_NAME);
      try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(f.toFile(), "rw")) {
        raf.setLength(Workloads.FILE_LENGTH);
      }
      f.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      file = f;
    }
    return file;
  }

  private static Path file;

  private static Process start(Peer peer, List<String> extraOptions, List<String> args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(COMMON_JVM_OPTIONS);
    cmd.addAll(peer.jvmOptions());
    cmd.addAll(extraOptions);
    cmd.addAll(PROFILING_OPTIONS);
    cmd.add("-cp");
    cmd.add(peer.classpath());
    cmd.add(PeerMain.class.getName());
    cmd.add(peer.factory());
    cmd.addAll(args);
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  /** Keeps reading a process's output so that it never blocks on a full pipe. */
  private static void drain(BufferedReader out) {
    Thread t =
        new Thread(
            () -> {
              try {
                while (out.readLine() != null) {
                  // discarded
                }
              } catch (IOException ignored) {
                // the process ended
              }
            });
    t.setDaemon(true);
    t.start();
  }
}
