package io.rpcenv.runtime;

import io.rpcenv.RpcSecurityManager;
import io.rpcenv.SecurityConfigKeys;
import io.rpcenv.runtime.cli.RpcenvCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executors started by a driver as child processes of its own: the same Java, the same class path,
 * ids {@code 1..N}. Settings travel in the {@value #CONF_ENV} environment variable and the shared
 * secret in {@code _SPARK_AUTH_SECRET}, which only the user who started them can read; nothing
 * secret is ever on a command line.
 */
public final class LocalExecutors {
  /** The environment variable through which a driver hands its settings to local executors. */
  public static final String CONF_ENV = "RPCENV_CONF";

  private static final Logger LOG = LoggerFactory.getLogger(LocalExecutors.class);

  private final List<Process> processes;

  private LocalExecutors(List<Process> processes) {
    this.processes = processes;
  }

  static LocalExecutors start(Driver driver, int count) {
    if (count < 0) {
      throw new IllegalArgumentException(
          "the number of local executors must not be negative: " + count);
    }
    Map<String, String> settings = driver.conf().getAll();
    settings.remove("spark.executor.id");
    // The secret goes in its own variable; passwords (for TLS stores on this machine) stay in the
    // environment with the rest. Neither is ever on a command line.
    settings.remove(SecurityConfigKeys.AUTH_SECRET.key());
    String secret = driver.secretForLocalExecutors();
    settings.putIfAbsent(RuntimeConfigKeys.EXECUTOR_HOST.key(), driver.address().host());
    String encoded = io.rpcenv.runtime.internal.Settings.encode(settings);
    List<Process> started = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      for (String p :
          List.of(
              "org.slf4j.simpleLogger.defaultLogLevel",
              "io.netty.leakDetection.level",
              "io.netty.customResourceLeakDetector",
              "rpcenv.label")) {
        String v = System.getProperty(p);
        if (v != null) {
          cmd.add("-D" + p + "=" + v);
        }
      }
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(RpcenvCli.class.getName());
      cmd.add("executor");
      cmd.add("--driver");
      cmd.add(driver.url());
      cmd.add("--id");
      cmd.add(String.valueOf(i));
      ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
      pb.environment().put(CONF_ENV, encoded);
      if (secret != null) {
        pb.environment().put(RpcSecurityManager.SECRET_ENV, secret);
      }
      try {
        started.add(pb.start());
      } catch (IOException e) {
        started.forEach(Process::destroyForcibly);
        throw new UncheckedIOException(
            "Could not start local executor " + i + ": " + e.getMessage(), e);
      }
    }
    LOG.info("Started {} local executor processes", count);
    return new LocalExecutors(started);
  }

  /** The child processes, in id order. */
  public List<Process> processes() {
    return List.copyOf(processes);
  }

  /** Waits for every child to exit; kills the ones still running after {@code timeout}. */
  public void awaitExit(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Process p : processes) {
      if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        LOG.warn("Local executor process {} did not exit in time; killing it", p.pid());
        p.destroyForcibly().waitFor();
      }
    }
  }
}
