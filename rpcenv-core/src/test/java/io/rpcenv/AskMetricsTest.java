package io.rpcenv;

import static io.rpcenv.EndpointMetricsTest.counter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import io.rpcenv.testkit.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The asking side's figures: each outcome of an ask is counted, and its latency measured. */
class AskMetricsTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  static String asks(RpcEnv server, String endpoint, String outcome) {
    return "rpcenv_asks_total{endpoint=\""
        + endpoint
        + "\",peer=\""
        + server.address().hostPort()
        + "\",outcome=\""
        + outcome
        + "\"}";
  }

  /** Never answers. */
  static final class Silent extends RpcEndpoint {
    final CountDownLatch asked = new CountDownLatch(1);

    @Override
    public void receiveAndReply(Object message, RpcCallContext context) {
      asked.countDown();
    }
  }

  @Test
  void answeredFailedTimedOutAndAbandonedAsksAreCountedWithTheirLatency() throws Exception {
    RpcEnv server = envs.server("server");
    server.setupEndpoint("echo", new EndpointMetricsTest.Echo());
    server.setupEndpoint("silent", new Silent());
    RpcEnv client = envs.client("client");
    RpcEndpointRef echo = client.setupEndpointRef(server.address(), "echo");
    RpcEndpointRef silent = client.setupEndpointRef(server.address(), "silent");

    for (int i = 0; i < 4; i++) {
      echo.askSync(i);
    }
    assertThatThrownBy(() -> echo.askSync("fail")).isInstanceOf(RpcRemoteException.class);
    assertThatThrownBy(() -> silent.askSync("x", RpcTimeout.of(Duration.ofMillis(200))))
        .isInstanceOf(RpcTimeoutException.class);
    silent.ask("y").cancel(false);

    MetricRegistry m = client.metrics();
    // Counted as the future completes: a moment after askSync may have returned.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> counter(m, asks(server, "silent", "abandoned")) == 1);
    assertThat(counter(m, asks(server, "echo", "answered"))).isEqualTo(4);
    assertThat(counter(m, asks(server, "echo", "failed"))).isEqualTo(1);
    assertThat(counter(m, asks(server, "silent", "timed_out"))).isEqualTo(1);
    assertThat(counter(m, asks(server, "silent", "abandoned"))).isEqualTo(1);
    assertThat(counter(m, asks(server, "echo", "connection_lost"))).isZero();
  }

  @Test
  void oneAskInSixteenIsTimedFromTheCallToItsOutcome() {
    RpcEnv server = envs.server("server");
    server.setupEndpoint("silent", new Silent());
    RpcEnv client = envs.client("client");
    RpcEndpointRef silent = client.setupEndpointRef(server.address(), "silent");
    int n = 320; // none of them timed: (15/16)^320, about 1e-9
    List<CompletableFuture<Object>> asks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      asks.add(silent.ask(i, RpcTimeout.of(Duration.ofMillis(100))));
    }
    for (CompletableFuture<Object> a : asks) {
      assertThatThrownBy(a::join).hasCauseInstanceOf(RpcTimeoutException.class);
    }

    Histogram latency =
        client
            .metrics()
            .getHistograms()
            .get(
                "rpcenv_ask_seconds{endpoint=\"silent\",peer=\""
                    + server.address().hostPort()
                    + "\"}");
    assertThat(latency.getCount()).isBetween(1L, (long) n / 4);
    assertThat(latency.getSnapshot().getMin())
        .as("a timed-out ask took its 100 ms")
        .isGreaterThanOrEqualTo(Duration.ofMillis(90).toNanos());
  }

  @Test
  void anAskWhoseConnectionClosesCountsAsConnectionLost() throws Exception {
    RpcEnv server = envs.server("server");
    Silent silent = new Silent();
    server.setupEndpoint("silent", silent);
    RpcEnv client = envs.client("client");
    RpcEndpointRef ref = client.setupEndpointRef(server.address(), "silent");
    var pending = ref.ask("x");
    silent.asked.await();
    String lost = asks(server, "silent", "connection_lost");

    server.shutdown();

    assertThatThrownBy(pending::join).hasCauseInstanceOf(RpcConnectionException.class);
    await().atMost(Duration.ofSeconds(20)).until(() -> counter(client.metrics(), lost) == 1);
  }

  @Test
  void localAsksAreCountedUnderPeerLocal() {
    RpcEnv env = envs.server("env");
    RpcEndpointRef echo = env.setupEndpoint("echo", new EndpointMetricsTest.Echo());
    echo.askSync("hi");
    // Counted as the future completes: a moment after askSync may have returned.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                counter(
                        env.metrics(),
                        "rpcenv_asks_total{endpoint=\"echo\",peer=\"local\",outcome=\"answered\"}")
                    == 1);
  }
}
