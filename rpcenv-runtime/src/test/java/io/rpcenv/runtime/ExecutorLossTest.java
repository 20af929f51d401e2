package io.rpcenv.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rpcenv.RpcConf;
import io.rpcenv.plugin.ExecutorInfo;
import io.rpcenv.runtime.fixtures.RuntimeTestPlugin;
import io.rpcenv.testkit.Journal;
import io.rpcenv.testkit.Resources;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Executors as real processes: a SIGKILLed one is noticed, the others keep working. */
class ExecutorLossTest {
  @RegisterExtension final Resources resources = new Resources();

  @BeforeEach
  void reset() {
    Journal.reset();
  }

  @Test
  void anExecutorKilledWithSigkillIsRemovedAndThePluginsToldWhileTheOthersKeepWorking()
      throws Exception {
    RpcConf conf =
        new RpcConf()
            .set("spark.ui.port", "0")
            .set("spark.plugins", RuntimeTestPlugin.class.getName())
            .set("spark.executor.heartbeatInterval", "500ms")
            .set("spark.network.timeout", "10s")
            .set("spark.network.timeoutInterval", "500ms");
    Driver driver = resources.add(Driver.start(conf));
    LocalExecutors local = driver.startLocalExecutors(2);
    assertThat(driver.awaitExecutors(2, Duration.ofSeconds(90))).isTrue();

    long start = System.nanoTime();
    local.processes().get(0).destroyForcibly().waitFor(); // executor "1", SIGKILL
    await()
        .atMost(Duration.ofSeconds(10)) // within spark.network.timeout
        .until(
            () ->
                driver.executors().stream()
                    .map(ExecutorInfo::executorId)
                    .toList()
                    .equals(java.util.List.of("2")));
    long noticedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(Journal.await("removed:1")).contains("lost");
    assertThat(noticedMs).isLessThan(10_000);
    System.out.println("executor loss noticed after " + noticedMs + " ms");

    assertThat(RuntimeTestPlugin.driver.askExecutor("2", "still there?"))
        .isEqualTo("executor 2 answers still there?");
    assertThat(driver.executors()).hasSize(1);
  }
}
