package io.rpcenv.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.rpcenv.runtime.cli.RpcenvCli;
import io.rpcenv.runtime.fixtures.RuntimeTestPlugin;
import io.rpcenv.testkit.ChildJvm;
import io.rpcenv.testkit.Resources;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A driver and an executor started separately, the executor joining by URL with explicit addresses. */
class RemoteExecutorTest {
  @RegisterExtension final Resources resources = new Resources();

  @Test
  void anExecutorStartedElsewhereJoinsByUrlAndBothStopInOrder() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "spark://driver@127.0.0.1:" + port;
    ChildJvm driver = resources.add(ChildJvm.start("driver", RpcenvCli.class, Map.of(), "driver", "--host",
        "127.0.0.1", "--port", String.valueOf(port), "--conf", "spark.plugins=" + RuntimeTestPlugin.class.getName(),
        "--conf", "spark.executor.heartbeatInterval=1s"));
    driver.awaitLine(l -> l.contains("listening at " + url), Duration.ofSeconds(60));

    ChildJvm executor = resources.add(ChildJvm.start("executor", RpcenvCli.class, Map.of(), "executor",
        "--driver", url, "--id", "remote-1", "--host", "127.0.0.1"));
    String init = executor.awaitLine(l -> l.contains("executor plugin remote-1"), Duration.ofSeconds(60));
    assertThat(init).contains("[executor remote-1 pid " + executor.pid() + "]")
        .contains("on 127.0.0.1 got 'driver answers hello from remote-1' and extra conf {greeting=hello from the "
            + "driver}");
    driver.awaitLine(l -> l.contains("driver plugin sees executor remote-1 added"), Duration.ofSeconds(30));

    driver.terminate(); // SIGTERM: the driver stops its executors first
    assertThat(executor.waitFor(Duration.ofSeconds(60))).isEqualTo(ExitCode.STOPPED.code());
    assertThat(executor.lines()).anyMatch(l -> l.contains("executor remote-1 exits with 0 (stopped)"));
    int driverExit = driver.waitFor(Duration.ofSeconds(60));
    assertThat(driverExit).isIn(0, 143); // 143: the JVM's status after SIGTERM, hooks done
    assertThat(driver.lines()).anyMatch(l -> l.contains("driver plugin received bye from remote-1"))
        .noneMatch(l -> l.contains("ERROR") || l.contains("Exception"));
    assertThat(executor.lines()).noneMatch(l -> l.contains("ERROR") || l.contains("Exception"));
  }

  @Test
  void anExecutorThatCannotReachItsDriverExitsWithOneLineAndCode1() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ChildJvm executor = resources.add(ChildJvm.start("executor", RpcenvCli.class, Map.of(), "executor",
        "--driver", "spark://driver@127.0.0.1:" + port, "--id", "lonely", "--conf", "spark.rpc.numRetries=0"));
    assertThat(executor.waitFor(Duration.ofSeconds(60))).isEqualTo(ExitCode.START_FAILED.code());
    List<String> errors = executor.lines().stream().filter(l -> l.contains("rpcenv executor:")).toList();
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0)).contains("127.0.0.1:" + port).contains("Connection refused");
    assertThat(executor.lines()).noneMatch(l -> l.startsWith("\tat "));
  }
}
