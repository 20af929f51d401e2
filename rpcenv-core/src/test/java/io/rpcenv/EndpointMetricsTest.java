package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.rpcenv.testkit.Resources;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each per-endpoint figure of {@link RpcEnv#metrics()} moves when its event happens. */
class EndpointMetricsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  static long counter(MetricRegistry r, String name) {
    return r.getCounters().containsKey(name) ? r.getCounters().get(name).getCount() : -1;
  }

  static long gauge(MetricRegistry r, String name) {
    Gauge<?> g = r.getGauges().get(name);
    return g == null ? -1 : ((Number) g.getValue()).longValue();
  }

  static long handled(MetricRegistry r, String endpoint) {
    String name = "rpcenv_endpoint_handling_seconds{endpoint=\"" + endpoint + "\"}";
    return r.getHistograms().containsKey(name) ? r.getHistograms().get(name).getCount() : -1;
  }

  /** Answers every ask with the message, except "fail", for which it throws. */
  static final class Echo extends RpcEndpoint {
    @Override
    public void receive(Object message) {}

    @Override
    public void receiveAndReply(Object message, RpcCallContext context) {
      if ("fail".equals(message)) {
        throw new IllegalStateException("asked to fail");
      }
      if ("refuse".equals(message)) {
        context.sendFailure(new IllegalArgumentException("refused"));
        return;
      }
      context.reply(message);
    }
  }

  @Test
  void messagesAsksAnswersAndFailuresAreCountedAndEachHandlingIsTimed() {
    RpcEnv server = envs.server("server");
    server.setupEndpoint("echo", new Echo());
    RpcEndpointRef echo = envs.client("client").setupEndpointRef(server.address(), "echo");

    for (int i = 0; i < 5; i++) {
      assertThat(echo.<Object>askSync("hi " + i)).isEqualTo("hi " + i);
    }
    assertThatThrownBy(() -> echo.askSync("fail")).isInstanceOf(RpcRemoteException.class);
    assertThatThrownBy(() -> echo.askSync("refuse")).isInstanceOf(RpcRemoteException.class);
    for (int i = 0; i < 43; i++) {
      echo.send("one-way " + i);
    }

    MetricRegistry m = server.metrics();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(
                      counter(
                          m,
                          "rpcenv_endpoint_messages_received_total{endpoint=\"echo\",kind=\"ask\"}"))
                  .isEqualTo(7);
              assertThat(
                      counter(
                          m,
                          "rpcenv_endpoint_messages_received_total{endpoint=\"echo\","
                              + "kind=\"one_way\"}"))
                  .isEqualTo(43);
              assertThat(counter(m, "rpcenv_endpoint_asks_answered_total{endpoint=\"echo\"}"))
                  .isEqualTo(5);
              assertThat(counter(m, "rpcenv_endpoint_asks_failed_total{endpoint=\"echo\"}"))
                  .isEqualTo(2);
              // Each thread times one message in 16 of those it handles: of 50, at least one.
              assertThat(handled(m, "echo")).isBetween(1L, 50L);
            });
    assertThat(
            m.getHistograms()
                .get("rpcenv_endpoint_handling_seconds{endpoint=\"echo\"}")
                .getSnapshot()
                .getMax())
        .as("nanoseconds in the endpoint's code")
        .isPositive();
  }

  @Test
  void inboxDepthRisesWhileTheEndpointIsBlockedAndFallsAfter() throws Exception {
    RpcEnv server = envs.server("server");
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    server.setupEndpoint("blocked", new Blocking(entered, release));
    RpcEndpointRef ref = envs.client("client").setupEndpointRef(server.address(), "blocked");
    MetricRegistry m = server.metrics();
    String depth = "rpcenv_endpoint_inbox_depth{endpoint=\"blocked\"}";
    String most = "rpcenv_endpoint_inbox_depth_max{endpoint=\"blocked\"}";

    for (int i = 0; i < 10; i++) {
      ref.send(i);
    }
    assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
    // Nine messages wait behind the one being handled (network events may wait there too).
    await().atMost(WAIT).until(() -> gauge(m, depth) >= 9);
    assertThat(gauge(m, most)).isGreaterThanOrEqualTo(9);

    release.countDown();
    await().atMost(WAIT).until(() -> gauge(m, depth) == 0);
    assertThat(gauge(m, most)).isGreaterThanOrEqualTo(9);
  }

  @Test
  void aStallWarningIsCountedForTheEndpointThatStalled() throws Exception {
    RpcEnv server =
        envs.server("server", TestEnvs.conf().set("spark.rpc.dispatcher.stallWarning", "200ms"));
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    server.setupEndpoint("stuck", new Blocking(entered, release));
    server.setupEndpoint("fine", new Echo());
    server.setupEndpointRef(server.address(), "stuck").send("x");
    assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
    MetricRegistry m = server.metrics();

    await()
        .atMost(WAIT)
        .until(() -> counter(m, "rpcenv_endpoint_stall_warnings_total{endpoint=\"stuck\"}") == 1);
    release.countDown();
    assertThat(counter(m, "rpcenv_endpoint_stall_warnings_total{endpoint=\"fine\"}")).isZero();
  }

  @Test
  void aStoppedEndpointsSeriesLeaveTheRegistry() {
    RpcEnv server = envs.server("server");
    RpcEndpointRef ref = server.setupEndpoint("gone", new Echo());
    assertThat(server.metrics().getNames()).anyMatch(n -> n.contains("endpoint=\"gone\""));

    server.stop(ref);

    await()
        .atMost(WAIT)
        .until(() -> server.metrics().getNames().stream().noneMatch(n -> n.contains("\"gone\"")));
  }

  /** A thread-safe endpoint whose first message blocks until released. */
  static final class Blocking extends RpcEndpoint implements ThreadSafeRpcEndpoint {
    private final CountDownLatch entered;
    private final CountDownLatch release;

    Blocking(CountDownLatch entered, CountDownLatch release) {
      this.entered = entered;
      this.release = release;
    }

    @Override
    public void receive(Object message) {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
