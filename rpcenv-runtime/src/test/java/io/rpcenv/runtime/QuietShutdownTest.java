package io.rpcenv.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.rpcenv.runtime.cli.RpcenvCli;
import io.rpcenv.runtime.fixtures.HeldHeartbeatPlugin;
import io.rpcenv.runtime.fixtures.RuntimeTestPlugin;
import io.rpcenv.testkit.ChildJvm;
import io.rpcenv.testkit.Resources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An orderly stop, of a driver with its executors or of one executor, is quiet: nothing at ERROR,
 * no exception, no stack trace, in any of the processes' output.
 */
class QuietShutdownTest {
  @RegisterExtension final Resources resources = new Resources();

  private static void assertQuiet(List<String> lines) {
    assertThat(lines)
        .as("output:%n%s", String.join("\n", lines))
        .noneMatch(
            l ->
                l.contains("ERROR")
                    || l.contains("Exception")
                    || l.contains("Error:")
                    || l.startsWith("\tat ")
                    || l.contains("\tat "));
  }

  private ChildJvm driver(String... extra) throws Exception {
    return driver(RuntimeTestPlugin.class, extra);
  }

  private ChildJvm driver(Class<?> plugin, String... extra) throws Exception {
    String[] args = new String[5 + extra.length];
    args[0] = "driver";
    args[1] = "--host";
    args[2] = "127.0.0.1";
    args[3] = "--conf=spark.plugins=" + plugin.getName();
    args[4] = "--conf=spark.ui.port=0";
    System.arraycopy(extra, 0, args, 5, extra.length);
    return resources.add(ChildJvm.start("driver", RpcenvCli.class, Map.of(), args));
  }

  @Test
  void aDriverStoppedBySigtermStopsItsExecutorsQuietly() throws Exception {
    ChildJvm driver = driver("--local-executors", "2");
    driver.awaitLine(l -> l.contains("Executor 1 registered"), Duration.ofSeconds(90));
    driver.awaitLine(l -> l.contains("Executor 2 registered"), Duration.ofSeconds(90));
    driver.terminate(); // SIGTERM: the shutdown hook stops the driver, which stops its executors
    driver.waitFor(Duration.ofSeconds(60));
    List<String> lines = driver.lines();
    assertThat(lines)
        .anyMatch(l -> l.contains("executor 1 exits with 0 (stopped)"))
        .anyMatch(l -> l.contains("executor 2 exits with 0 (stopped)"));
    assertQuiet(lines);
  }

  /**
   * A heartbeat that goes out as the executor stops is answered before the executor's env closes,
   * rather than cut off by the close and reported as an ask lost (seen in the demo under load).
   */
  @Test
  void aHeartbeatGoingOutAsTheExecutorStopsIsAnsweredBeforeItsEnvCloses() throws Exception {
    ChildJvm driver = driver(HeldHeartbeatPlugin.class, "--local-executors", "1");
    driver.awaitLine(l -> l.contains("a heartbeat reads the gauge"), Duration.ofSeconds(90));
    driver.terminate();
    driver.waitFor(Duration.ofSeconds(60));
    List<String> lines = driver.lines();
    assertThat(lines).anyMatch(l -> l.contains("executor 1 exits with 0 (stopped)"));
    assertQuiet(lines);
    assertThat(lines)
        .as("output:%n%s", String.join("\n", lines))
        .noneMatch(l -> l.contains("WARN"));
  }

  @Test
  void anExecutorStoppedBySigtermLeavesQuietlyAndTheDriverCarriesOn() throws Exception {
    ChildJvm driver = driver();
    String line =
        driver.awaitLine(l -> l.contains(" listening at spark://"), Duration.ofSeconds(90));
    String url = line.substring(line.indexOf("spark://"));
    ChildJvm executor =
        resources.add(
            ChildJvm.start(
                "executor", RpcenvCli.class, Map.of(), "executor", "--driver", url, "--id", "7"));
    executor.awaitLine(l -> l.contains("Executor 7 registered"), Duration.ofSeconds(90));
    executor.terminate();
    executor.waitFor(Duration.ofSeconds(60));
    driver.awaitLine(
        l -> l.contains("driver plugin sees executor 7 removed"), Duration.ofSeconds(30));
    assertQuiet(executor.lines());
    driver.terminate();
    driver.waitFor(Duration.ofSeconds(60));
    assertQuiet(driver.lines());
  }
}
