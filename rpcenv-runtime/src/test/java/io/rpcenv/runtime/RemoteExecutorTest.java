package io.rpcenv.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.rpcenv.runtime.cli.RpcenvCli;
import io.rpcenv.runtime.fixtures.RuntimeTestPlugin;
import io.rpcenv.testkit.ChildJvm;
import io.rpcenv.testkit.Resources;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A driver and an executor started separately, the executor joining by URL with explicit addresses.
 */
class RemoteExecutorTest {
  @RegisterExtension final Resources resources = new Resources();

  @Test
  void anExecutorStartedElsewhereJoinsByUrlAndBothStopInOrder() throws Exception {
    int port = freePort();
    String url = "spark://driver@127.0.0.1:" + port;
    ChildJvm driver = driver(url, port, "spark.executor.heartbeatInterval=1s");
    ChildJvm executor = executor(url, "remote-1");
    String init =
        executor.awaitLine(l -> l.contains("executor plugin remote-1"), Duration.ofSeconds(60));
    assertThat(init)
        .contains("[executor remote-1 pid " + executor.pid() + "]")
        .contains(
            "on 127.0.0.1 got 'driver answers hello from remote-1' and extra conf {greeting=hello"
                + " from the driver}");
    driver.awaitLine(
        l -> l.contains("driver plugin sees executor remote-1 added"), Duration.ofSeconds(30));

    driver.terminate(); // SIGTERM: the driver stops its executors first
    assertThat(executor.waitFor(Duration.ofSeconds(60))).isEqualTo(ExitCode.STOPPED.code());
    assertThat(executor.lines())
        .anyMatch(l -> l.contains("executor remote-1 exits with 0 (stopped)"));
    assertThat(driver.waitFor(Duration.ofSeconds(60)))
        .as("the driver's exit code after SIGTERM")
        .isZero();
    assertThat(driver.lines())
        .anyMatch(l -> l.contains("driver plugin received bye from remote-1"))
        .noneMatch(l -> l.contains("ERROR") || l.contains("Exception"));
    assertThat(executor.lines()).noneMatch(l -> l.contains("ERROR") || l.contains("Exception"));
  }

  @Test
  void anExecutorThatCannotReachItsDriverExitsWithOneLineAndCode1() throws Exception {
    int port = freePort();
    ChildJvm executor =
        resources.add(
            ChildJvm.start(
                "executor",
                RpcenvCli.class,
                Map.of(),
                "executor",
                "--driver",
                "spark://driver@127.0.0.1:" + port,
                "--id",
                "lonely",
                "--conf",
                "spark.rpc.numRetries=0"));
    assertThat(executor.waitFor(Duration.ofSeconds(60))).isEqualTo(ExitCode.START_FAILED.code());
    List<String> errors =
        executor.lines().stream().filter(l -> l.contains("rpcenv executor:")).toList();
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0)).contains("127.0.0.1:" + port).contains("Connection refused");
    assertThat(executor.lines()).noneMatch(l -> l.startsWith("\tat "));
  }

  /**
   * A driver started from the command line on a free port, with the test plugin and {@code conf}.
   */
  private ChildJvm driver(String url, int port, String... conf) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "driver",
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--conf",
                "spark.ui.port=0",
                "--conf",
                "spark.plugins=" + RuntimeTestPlugin.class.getName()));
    for (String c : conf) {
      args.add("--conf");
      args.add(c);
    }
    ChildJvm driver =
        resources.add(
            ChildJvm.start("driver", RpcenvCli.class, Map.of(), args.toArray(String[]::new)));
    driver.awaitLine(l -> l.contains("listening at " + url), Duration.ofSeconds(60));
    return driver;
  }

  /**
   * An executor started from the command line, joining {@code url} as {@code id} from 127.0.0.1.
   */
  private ChildJvm executor(String url, String id) throws Exception {
    return resources.add(
        ChildJvm.start(
            "executor",
            RpcenvCli.class,
            Map.of(),
            "executor",
            "--driver",
            url,
            "--id",
            id,
            "--host",
            "127.0.0.1"));
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void anExecutorStoppedWithSigtermExitsWithZeroAndSaysSo() throws Exception {
    int port = freePort();
    String url = "spark://driver@127.0.0.1:" + port;
    ChildJvm driver = driver(url, port);
    ChildJvm executor = executor(url, "term-1");
    driver.awaitLine(
        l -> l.contains("driver plugin sees executor term-1 added"), Duration.ofSeconds(60));
    executor.terminate();
    assertThat(executor.waitFor(Duration.ofSeconds(60))).isZero();
    assertThat(executor.lines())
        .anyMatch(l -> l.contains("executor term-1 exits with 0 (stopped)"));
    driver.awaitLine(
        l ->
            l.contains(
                "driver plugin sees executor term-1 removed: exited: this process is being "
                    + "terminated"),
        Duration.ofSeconds(30));
  }

  @Test
  void aDriverPausedPastTheNetworkTimeoutKeepsItsExecutors() throws Exception {
    int port = freePort();
    String url = "spark://driver@127.0.0.1:" + port;
    // Executors are expired after 3 s of silence; connections are given up after 30 s (a peer
    // silent for longer than spark.rpc.io.connectionTimeout is, to the other side, dead).
    ChildJvm driver =
        driver(
            url,
            port,
            "spark.network.timeout=3s",
            "spark.executor.heartbeatInterval=500ms",
            "spark.network.timeoutInterval=500ms",
            "spark.rpc.io.connectionTimeout=30s");
    ChildJvm executor = executor(url, "paused-1");
    driver.awaitLine(
        l -> l.contains("driver plugin sees executor paused-1 added"), Duration.ofSeconds(60));
    signal("STOP", driver.pid());
    try {
      // Eight heartbeats of 500 ms have failed: the driver has been silent for over 4 s, past the 3
      // s timeout.
      executor.awaitLine(
          l -> l.contains("Heartbeat to the driver failed (8 in a row)"), Duration.ofSeconds(60));
    } finally {
      signal("CONT", driver.pid());
    }
    driver.awaitLine(
        l -> l.contains("executors are not held responsible for that silence"),
        Duration.ofSeconds(30));
    // The executor is still registered: stopping the driver stops it in order (0), it was not
    // expired (4).
    driver.terminate();
    assertThat(executor.waitFor(Duration.ofSeconds(60))).isEqualTo(ExitCode.STOPPED.code());
    assertThat(driver.lines()).noneMatch(l -> l.contains("heartbeat timed out"));
    assertThat(executor.lines()).noneMatch(l -> l.contains("expired"));
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
    assertThat(kill.waitFor()).as("kill -%s %d", signal, pid).isZero();
  }
}
