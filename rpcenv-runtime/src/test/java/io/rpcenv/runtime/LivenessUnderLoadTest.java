package io.rpcenv.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.rpcenv.RpcConf;
import io.rpcenv.RpcTimeoutException;
import io.rpcenv.runtime.fixtures.Executors;
import io.rpcenv.runtime.fixtures.FloodPlugin;
import io.rpcenv.testkit.Resources;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The runtime's liveness does not depend on plugin traffic, and executors run with the driver's
 * settings.
 */
class LivenessUnderLoadTest {
  @RegisterExtension final Resources resources = new Resources();

  @BeforeEach
  void forgetEarlierTests() {
    FloodPlugin.reset();
  }

  private Driver driver(RpcConf extra) {
    RpcConf conf =
        new RpcConf()
            .set("spark.driver.host", "127.0.0.1")
            .set("spark.driver.bindAddress", "127.0.0.1")
            .set("spark.ui.port", "0")
            .set("spark.plugins", FloodPlugin.class.getName())
            .setAll(extra.getAll());
    Driver d = Driver.start(conf);
    resources.add(d::shutdown);
    return d;
  }

  @Test
  void anExecutorPluginFloodingASlowDriverPluginNeverGetsItsExecutorExpiredAndEverythingArrives()
      throws Exception {
    int messages =
        5000; // about five seconds of the driver plugin's time, five times the network timeout
    Driver driver =
        driver(
            new RpcConf()
                .set("spark.network.timeout", "1s")
                .set("spark.executor.heartbeatInterval", "200ms")
                .set("spark.network.timeoutInterval", "200ms")
                .set("spark.rpc.io.maxInflightMessages", "256"));
    Executor executor = Executors.start(resources, driver, "flooder");
    await().atMost(Duration.ofSeconds(20)).until(() -> FloodPlugin.executorContext != null);
    for (int i = 0; i < messages; i++) {
      FloodPlugin.executorContext.send(i);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> FloodPlugin.receivedCount.get() == messages);
    for (int i = 0; i < messages; i++) {
      assertThat(FloodPlugin.received.get(i)).as("message %d", i).isEqualTo(1);
    }
    assertThat(FloodPlugin.removed).isEmpty();
    assertThat(driver.executors()).extracting(e -> e.executorId()).containsExactly("flooder");
    assertThat(executor.exit()).isNotDone();
  }

  @Test
  void anExecutorStartedByHandRunsWithTheDriversAskTimeout() throws Exception {
    Driver driver = driver(new RpcConf().set("spark.rpc.askTimeout", "1s"));
    // no settings of its own, as with `rpcenv executor --driver URL`
    Executors.start(resources, driver, "by-hand");
    await().atMost(Duration.ofSeconds(20)).until(() -> FloodPlugin.executorContext != null);
    assertThat(FloodPlugin.executorContext.conf().get("spark.rpc.askTimeout")).isEqualTo("1s");
    ExecutorService asker = java.util.concurrent.Executors.newSingleThreadExecutor();
    resources.add(asker::shutdownNow);
    CompletableFuture<Object> ask =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return FloodPlugin.executorContext.ask("hang");
              } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
              }
            },
            asker);
    // the driver plugin answers after five seconds; the driver's one-second timeout comes first
    Throwable failure = catchThrowable(() -> ask.get(4, TimeUnit.SECONDS));
    assertThat(failure).isInstanceOf(ExecutionException.class);
    assertThat(failure.getCause())
        .isInstanceOf(RpcTimeoutException.class)
        .hasMessageContaining("spark.rpc.askTimeout")
        .hasMessageContaining("1 second");
  }
}
