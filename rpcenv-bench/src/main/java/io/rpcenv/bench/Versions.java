package io.rpcenv.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Versions of what is measured, read from the class paths the peers run with, and the commit. */
record Versions(
    String rpcenv, String netty, String spark, String sparkNetty, String grpc, String commit) {

  static Versions of(String benchClasspath, String sparkClasspath) {
    return new Versions(
        jar(benchClasspath, "rpcenv-core"),
        jar(benchClasspath, "netty-common"),
        jar(sparkClasspath, "spark-core_2.13"),
        jar(sparkClasspath, "netty-common"),
        jar(benchClasspath, "grpc-core"),
        currentCommit());
  }

  /** The version in {@code .../<artifact>-<version>.jar} on {@code classpath}, or "unknown". */
  static String jar(String classpath, String artifact) {
    Matcher m =
        Pattern.compile("(?:^|[/:])" + Pattern.quote(artifact) + "-(\\d[^/:]*?)\\.jar(?::|$)")
            .matcher(classpath);
    return m.find() ? m.group(1) : "unknown";
  }

  /**
   * The checked-out commit, marked when the tree has uncommitted changes; "unknown" outside git.
   */
  private static String currentCommit() {
    String head = git("rev-parse", "--short", "HEAD");
    if (head == null) {
      return "unknown";
    }
    String dirty = git("status", "--porcelain", "--untracked-files=no");
    return dirty == null || dirty.isEmpty() ? head : head + " with uncommitted changes";
  }

  private static String git(String... args) {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "git";
    System.arraycopy(args, 0, cmd, 1, args.length);
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
