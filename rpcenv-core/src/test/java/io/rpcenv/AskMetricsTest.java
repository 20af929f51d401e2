package io.rpcenv;

import static io.rpcenv.EndpointMetricsTest.counter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import io.rpcenv.testkit.Resources;
import java.time.Duration;
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
    assertThat(counter(m, asks(server, "echo", "answered"))).isEqualTo(4);
    assertThat(counter(m, asks(server, "echo", "failed"))).isEqualTo(1);
    assertThat(counter(m, asks(server, "silent", "timed_out"))).isEqualTo(1);
    assertThat(counter(m, asks(server, "silent", "abandoned"))).isEqualTo(1);
    assertThat(counter(m, asks(server, "echo", "connection_lost"))).isZero();
    String latency =
        "rpcenv_ask_seconds{endpoint=\"silent\",peer=\"" + server.address().hostPort() + "\"}";
    assertThat(m.getHistograms().get(latency).getCount()).isEqualTo(2);
    assertThat(m.getHistograms().get(latency).getSnapshot().getMax())
        .as("the timed-out ask took its 200 ms")
        .isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
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
    assertThat(
            counter(
                env.metrics(),
                "rpcenv_asks_total{endpoint=\"echo\",peer=\"local\",outcome=\"answered\"}"))
        .isEqualTo(1);
  }
}
