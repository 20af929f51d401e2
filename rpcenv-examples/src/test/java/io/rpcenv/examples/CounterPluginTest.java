package io.rpcenv.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.rpcenv.examples.plugin.CounterPlugin;
import io.rpcenv.runtime.cli.RpcenvCli;
import io.rpcenv.testkit.ChildJvm;
import io.rpcenv.testkit.Resources;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's plugin, run the way the README says. */
class CounterPluginTest {
  @RegisterExtension final Resources resources = new Resources();

  @Test
  void executorsAddToTheDriversTotalAndAnswerTheDriver() throws Exception {
    ChildJvm driver =
        resources.add(
            ChildJvm.start(
                "driver",
                RpcenvCli.class,
                Map.of(),
                "driver",
                "--conf",
                "spark.ui.port=0",
                "--conf",
                "spark.plugins=" + CounterPlugin.class.getName(),
                "--local-executors",
                "2"));
    driver.awaitLine(
        l -> l.endsWith("total is now 22"), Duration.ofSeconds(90)); // 10 + 1 from each
    driver.awaitLine(l -> l.contains("executor 1 says: a total of "), Duration.ofSeconds(30));
    driver.awaitLine(l -> l.contains("executor 2 says: a total of "), Duration.ofSeconds(30));
    driver.terminate();
    assertThat(driver.waitFor(Duration.ofSeconds(60))).isIn(0, 143);
    assertThat(driver.lines()).noneMatch(l -> l.contains("ERROR") || l.contains("Exception"));
  }
}
