package io.rpcenv.runtime.internal.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.rpcenv.RpcConf;
import io.rpcenv.runtime.Driver;
import io.rpcenv.runtime.LocalExecutors;
import io.rpcenv.runtime.fixtures.Http;
import io.rpcenv.runtime.fixtures.RuntimeTestPlugin;
import io.rpcenv.testkit.Resources;
import io.rpcenv.testkit.SystemTool;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the driver's HTTP server shows of a driver with two executor processes. */
class StatusPageTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @RegisterExtension final Resources resources = new Resources();
  final Http http = new Http();

  static RpcConf conf() {
    return new RpcConf()
        .set("spark.ui.port", "0")
        .set("spark.app.name", "status-test")
        .set("spark.plugins", RuntimeTestPlugin.class.getName())
        .set("spark.executor.heartbeatInterval", "300ms")
        .set("spark.network.timeout", "20s")
        .set("spark.network.timeoutInterval", "300ms");
  }

  private static List<String> texts(JsonNode array, String field) {
    return StreamSupport.stream(array.spliterator(), false)
        .map(n -> n.path(field).asText())
        .toList();
  }

  @Test
  void metricsOfTheDriverAndBothExecutorProcessesPassPromtool() throws Exception {
    Driver driver = resources.add(Driver.start(conf()));
    driver.startLocalExecutors(2);
    assertThat(driver.awaitExecutors(2, WAIT)).isTrue();
    String url = driver.statusPageUrl().orElseThrow();
    assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+/");
    RuntimeTestPlugin.driver.askExecutor("1", "ping");

    // Each executor's metrics arrive with its heartbeats.
    await()
        .atMost(WAIT)
        .until(
            () -> {
              String m = http.get(url + "metrics").body();
              return m.contains(
                      "rpcenv_connections_open{executor=\"1\",direction=\"out\",tls=\"false\"} 1")
                  && m.contains(
                      "rpcenv_connections_open{executor=\"2\",direction=\"out\",tls=\"false\"} 1");
            });
    HttpResponse<String> metrics = http.get(url + "metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type"))
        .contains("text/plain; version=0.0.4; charset=utf-8");
    String text = metrics.body();
    String promtool = SystemTool.require("promtool", "prometheus").toString();
    SystemTool.Result check = SystemTool.run(List.of(promtool, "check", "metrics"), text);
    assertThat(check.output()).as("promtool about:\n" + text).isBlank();
    assertThat(check.exitCode()).isZero();
    assertThat(text)
        .contains(
            "rpcenv_endpoint_messages_received_total{executor=\"driver\",endpoint=\"driver\",kind=\"ask\"}")
        .contains("executor=\"1\",endpoint=\"executor\"")
        .contains("executor=\"2\",endpoint=\"executor\"")
        .contains("rpcenv_asks_total{executor=\"driver\",endpoint=\"");
  }

  @Test
  void theApiDescribesTheApplicationItsExecutorsEndpointsConnectionsAndPlugins() throws Exception {
    Driver driver =
        resources.add(Driver.start(conf().set("my.db.password", "hunter2").set("x.token", "t0k")));
    LocalExecutors local = driver.startLocalExecutors(2);
    assertThat(driver.awaitExecutors(2, WAIT)).isTrue();
    String api = driver.statusPageUrl().orElseThrow() + "api/v1/";

    JsonNode app = http.json(api + "application", null);
    assertThat(app.path("name").asText()).isEqualTo("status-test");
    assertThat(app.path("id").asText()).isEqualTo(driver.appId());
    assertThat(app.path("driverUrl").asText()).isEqualTo(driver.url());
    assertThat(app.path("settings").path("spark.app.name").asText()).isEqualTo("status-test");
    assertThat(app.path("settings").path("my.db.password").asText())
        .isEqualTo("*********(redacted)");
    assertThat(app.path("settings").path("x.token").asText()).isEqualTo("*********(redacted)");

    await()
        .atMost(WAIT)
        .until(
            () ->
                texts(http.json(api + "executors", null), "id").stream()
                    .sorted()
                    .toList()
                    .equals(List.of("1", "2")));
    JsonNode one = http.json(api + "executors", null).get(0);
    assertThat(one.path("state").asText()).isEqualTo("active");
    assertThat(one.path("host").asText()).isNotBlank();
    assertThat(one.path("cores").asInt()).isPositive();
    assertThat(one.path("lastHeartbeatAgeMs").asLong()).isBetween(0L, 20_000L);
    await()
        .atMost(WAIT)
        .until(() -> http.json(api + "executors", null).get(0).path("heartbeats").asLong() >= 3);

    // Endpoints of every process, connections, plugins.
    await()
        .atMost(WAIT)
        .until(
            () -> {
              List<String> where = new ArrayList<>();
              for (JsonNode e : http.json(api + "endpoints", null)) {
                where.add(e.path("executor").asText() + "/" + e.path("endpoint").asText());
              }
              return where.containsAll(List.of("driver/driver", "1/executor", "2/executor"));
            });
    JsonNode driverEndpoint = null;
    for (JsonNode e : http.json(api + "endpoints", null)) {
      if (e.path("executor").asText().equals("driver")
          && e.path("endpoint").asText().equals("driver")) {
        driverEndpoint = e;
      }
    }
    assertThat(driverEndpoint.path("asks").asDouble()).isPositive(); // registrations, heartbeats
    assertThat(driverEndpoint.path("answered").asDouble()).isPositive();
    JsonNode connections = http.json(api + "connections", null);
    assertThat(texts(connections.path("envs"), "executor")).contains("driver", "1", "2");
    assertThat(connections.path("envs").get(0).path("openIn").asDouble()).isGreaterThanOrEqualTo(2);
    JsonNode plugins = http.json(api + "plugins", null);
    assertThat(texts(plugins.path("driverPlugins"), "")).hasSize(1);
    assertThat(plugins.path("driverPlugins").get(0).asText())
        .isEqualTo(RuntimeTestPlugin.class.getName());

    // A killed executor is listed as removed, with the reason.
    local.processes().get(0).destroyForcibly().waitFor();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              for (JsonNode e : http.json(api + "executors", null)) {
                if (e.path("id").asText().equals("1")
                    && e.path("state").asText().equals("removed")) {
                  return e.path("removalReason").asText().startsWith("lost");
                }
              }
              return false;
            });
  }

  @Test
  void theChartsHistoryMovesWhileTrafficFlows() throws Exception {
    Driver driver = resources.add(Driver.start(conf()));
    driver.startLocalExecutors(1);
    assertThat(driver.awaitExecutors(1, WAIT)).isTrue();
    String history = driver.statusPageUrl().orElseThrow() + "api/v1/history";
    for (int i = 0; i < 50; i++) {
      RuntimeTestPlugin.driver.askExecutor("1", i);
    }
    await()
        .atMost(WAIT)
        .until(
            () -> {
              for (JsonNode p : http.json(history, null).path("points")) {
                if (p.path("messagesPerSecond").asDouble() > 0
                    && p.path("framesOutPerSecond").asDouble() > 0) {
                  return true;
                }
              }
              return false;
            });
    assertThat(http.json(history, null).path("intervalSeconds").asInt()).isEqualTo(1);
  }

  @Test
  void aTakenPortIsSkippedForTheNextFreeOne() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      Driver driver =
          resources.add(
              Driver.start(conf().set("spark.ui.port", String.valueOf(taken.getLocalPort()))));
      String url = driver.statusPageUrl().orElseThrow();
      int port = Integer.parseInt(url.replaceAll(".*:(\\d+)/$", "$1"));
      assertThat(port).isGreaterThan(taken.getLocalPort());
      assertThat(http.get(url).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void withTheUiOffNothingIsServed() {
    Driver driver = resources.add(Driver.start(conf().set("spark.ui.enabled", "false")));
    assertThat(driver.statusPageUrl()).isEmpty();
  }
}
