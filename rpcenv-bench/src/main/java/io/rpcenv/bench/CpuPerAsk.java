package io.rpcenv.bench;

import io.rpcenv.bench.harness.BenchClient;
import io.rpcenv.bench.harness.BenchServer;
import io.rpcenv.bench.harness.PeerFactory;
import io.rpcenv.bench.peers.NettyPeer;
import io.rpcenv.bench.peers.RpcenvPeer;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one ask costs in CPU and context switches: a server and {@code clients} clients of one
 * system in this JVM, each client asking 16 bytes one at a time from its own thread, and the
 * process's user and system CPU time and voluntary and involuntary context switches (from {@code
 * /proc}) divided by the asks made. Where throughput compares systems, this says why: on a small
 * machine a hand-off between threads costs a wake-up, and wake-ups, not Java code, bound one ask at
 * a time.
 *
 * <pre>
 * ./bench.sh cpu-per-ask [rpcenv|rpcenv-inline|netty] [clients, 8] [seconds per round, 4] [rounds, 3]
 * </pre>
 *
 * Run it under {@code strace -c -f} to count system calls per ask as well.
 */
public final class CpuPerAsk {
  private static final long TICK_NANOS = 10_000_000L; // USER_HZ = 100 on Linux

  private CpuPerAsk() {}

  public static void main(String[] args) throws Exception {
    String system = args.length > 0 ? args[0] : "rpcenv";
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    PeerFactory factory = factory(system);
    List<BenchClient> cs = new ArrayList<>();
    try (BenchServer server = factory.server(1)) {
      for (int i = 0; i < clients; i++) {
        cs.add(factory.client(server.port(), 1));
      }
      for (int round = 1; round <= rounds; round++) {
        measure(system, round, cs, seconds);
      }
    } finally {
      for (BenchClient c : cs) {
        c.close();
      }
    }
  }

  private static PeerFactory factory(String system) {
    switch (system) {
      case "rpcenv":
        return new RpcenvPeer();
      case "rpcenv-inline":
        System.setProperty("bench.rpcenv.inline", "true"); // read when RpcenvPeer is initialized
        return new RpcenvPeer();
      case "netty":
        return new NettyPeer();
      default:
        throw new IllegalArgumentException(
            "unknown system '" + system + "'; known: rpcenv, rpcenv-inline, netty");
    }
  }

  private static void measure(String system, int round, List<BenchClient> cs, int seconds)
      throws Exception {
    AtomicLong asks = new AtomicLong();
    List<Throwable> failures = new ArrayList<>();
    byte[] payload = new byte[16];
    long[] before = processFigures();
    long t0 = System.nanoTime();
    long end = t0 + seconds * 1_000_000_000L;
    List<Thread> threads = new ArrayList<>();
    for (BenchClient c : cs) {
      Thread t =
          new Thread(
              () -> {
                try {
                  long n = 0;
                  while (System.nanoTime() < end) {
                    c.ask(0, payload);
                    n++;
                  }
                  asks.addAndGet(n);
                } catch (Exception e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                }
              },
              "cpu-per-ask-client");
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("an ask failed", failures.get(0));
    }
    long[] after = processFigures();
    double secs = (System.nanoTime() - t0) / 1e9;
    double n = asks.get();
    System.out.printf(
        Locale.ROOT,
        "%s round %d%s, %d clients: %.0f asks/s; per ask %.1f us user + %.1f us system CPU, %.2f"
            + " voluntary and %.2f involuntary context switches%n",
        system,
        round,
        round == 1 ? " (warm-up: the JIT compiles meanwhile)" : "",
        cs.size(),
        n / secs,
        (after[2] - before[2]) * TICK_NANOS / 1e3 / n,
        (after[3] - before[3]) * TICK_NANOS / 1e3 / n,
        (after[0] - before[0]) / n,
        (after[1] - before[1]) / n);
  }

  /** Voluntary and involuntary context switches of every thread, user and system CPU ticks. */
  private static long[] processFigures() throws IOException {
    long voluntary = 0;
    long involuntary = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        List<String> lines;
        try {
          lines = Files.readAllLines(task.resolve("status"));
        } catch (IOException threadEnded) {
          continue;
        }
        for (String line : lines) {
          if (line.startsWith("voluntary_ctxt_switches")) {
            voluntary += Long.parseLong(line.split("\\s+")[1]);
          } else if (line.startsWith("nonvoluntary_ctxt_switches")) {
            involuntary += Long.parseLong(line.split("\\s+")[1]);
          }
        }
      }
    }
    // /proc/self/stat: the command may hold spaces; fields after its closing parenthesis are fixed.
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new long[] {voluntary, involuntary, Long.parseLong(f[11]), Long.parseLong(f[12])};
  }
}
