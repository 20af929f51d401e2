package io.rpcenv.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A second network host for tests: a Linux network namespace joined to this one by a veth pair,
 * each end with its own address, created by the test and removed by {@link #close()}. A test runs a
 * peer inside it with {@link #execPrefix()} and can cut the link silently, packets dropped in both
 * directions with nothing reset or refused, with {@link #partition()}. Needs root and the {@code
 * ip} tool; {@link #unavailableBecause()} says why not, so that a test can be skipped with that
 * reason.
 */
public final class NetNamespace implements AutoCloseable {
  private final String name;
  private final String hostSide;
  private final String outside;
  private final String inside;
  private boolean partitioned;

  private NetNamespace(String suffix, int b, int c) {
    this.name = "rpcenv-" + suffix;
    this.hostSide = "rv" + suffix + "h";
    this.outside = "10." + b + "." + c + ".1";
    this.inside = "10." + b + "." + c + ".2";
  }

  /** Null if namespaces can be made here, else why not, in words. */
  public static String unavailableBecause() {
    if (!System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")) {
      return "network namespaces need Linux";
    }
    try {
      String status = Files.readString(Path.of("/proc/self/status"), StandardCharsets.US_ASCII);
      if (!status.lines().anyMatch(l -> l.matches("Uid:\\s+0(\\s.*)?"))) {
        return "network namespaces need root (this test runs as another user)";
      }
    } catch (IOException e) {
      return "cannot read /proc/self/status: " + e.getMessage();
    }
    String probe =
        "rpcenv-probe-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffff);
    try {
      run("ip", "netns", "add", probe);
      run("ip", "netns", "del", probe);
      return null;
    } catch (IOException e) {
      return "cannot create a network namespace: " + e.getMessage();
    }
  }

  /** Creates the namespace and the link; throws if any step fails (after undoing the others). */
  public static NetNamespace create() throws IOException {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    NetNamespace ns =
        new NetNamespace(
            Long.toHexString(r.nextLong(0x100000, 0xffffff)), r.nextInt(1, 255), r.nextInt(1, 255));
    String nsSide = "rv" + ns.name.substring(7) + "n";
    try {
      run("ip", "netns", "add", ns.name);
      run("ip", "link", "add", ns.hostSide, "type", "veth", "peer", "name", nsSide);
      run("ip", "link", "set", nsSide, "netns", ns.name);
      run("ip", "addr", "add", ns.outside + "/24", "dev", ns.hostSide);
      run("ip", "link", "set", ns.hostSide, "up");
      run("ip", "netns", "exec", ns.name, "ip", "addr", "add", ns.inside + "/24", "dev", nsSide);
      run("ip", "netns", "exec", ns.name, "ip", "link", "set", nsSide, "up");
      run("ip", "netns", "exec", ns.name, "ip", "link", "set", "lo", "up");
      return ns;
    } catch (IOException e) {
      ns.close();
      throw e;
    }
  }

  /** The namespace's address, where a peer inside it listens. */
  public String insideAddress() {
    return inside;
  }

  /** This side's address on the link. */
  public String outsideAddress() {
    return outside;
  }

  /** The command prefix that runs a program inside the namespace. */
  public List<String> execPrefix() {
    return List.of("ip", "netns", "exec", name);
  }

  /** Silently drops every packet between the two sides, in both directions. */
  public synchronized void partition() throws IOException {
    run("ip", "route", "add", "blackhole", inside + "/32");
    run("ip", "netns", "exec", name, "ip", "route", "add", "blackhole", outside + "/32");
    partitioned = true;
  }

  /** Undoes {@link #partition()}. */
  public synchronized void heal() throws IOException {
    if (partitioned) {
      partitioned = false;
      run("ip", "route", "del", "blackhole", inside + "/32");
      run("ip", "netns", "exec", name, "ip", "route", "del", "blackhole", outside + "/32");
    }
  }

  /** Removes the routes, the link and the namespace; what is already gone is skipped. */
  @Override
  public synchronized void close() {
    if (partitioned) {
      quietly("ip", "route", "del", "blackhole", inside + "/32");
      partitioned = false;
    }
    quietly("ip", "link", "del", hostSide);
    quietly("ip", "netns", "del", name);
  }

  private static void quietly(String... cmd) {
    try {
      run(cmd);
    } catch (IOException ignored) {
      // best effort: it may be gone already
    }
  }

  private static void run(String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(
            String.join(" ", cmd) + " failed: " + (out.isEmpty() ? "exit " + p.exitValue() : out));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException(String.join(" ", cmd) + " interrupted", e);
    }
  }

  @Override
  public String toString() {
    return "network namespace " + name + " (" + inside + ", this side " + outside + ")";
  }
}
