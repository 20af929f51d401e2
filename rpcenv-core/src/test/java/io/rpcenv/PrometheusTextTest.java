package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.rpcenv.testkit.Resources;
import io.rpcenv.testkit.SystemTool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The env's metrics as Prometheus text, checked by Prometheus' own promtool. */
class PrometheusTextTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  /** promtool check metrics: exit code 0 and no complaint. */
  static void assertPromtoolAccepts(String text) throws Exception {
    String promtool = SystemTool.require("promtool", "prometheus").toString();
    SystemTool.Result r = SystemTool.run(List.of(promtool, "check", "metrics"), text);
    assertThat(r.output()).as("promtool's complaints about:\n" + text).isBlank();
    assertThat(r.exitCode()).isZero();
  }

  /** A plugin's registry, as plugins fill it: dotted names, a meter, a timer, a text gauge. */
  static MetricRegistry pluginRegistry() {
    MetricRegistry r = new MetricRegistry();
    r.counter("plugin.com.example.Demo.hellos").inc(3);
    r.meter("plugin.com.example.Demo.rate").mark(5);
    r.timer("plugin.com.example.Demo.work").update(java.time.Duration.ofMillis(4));
    r.histogram("plugin.com.example.Demo.sizes").update(100);
    r.register("plugin.com.example.Demo.state", (Gauge<String>) () -> "ok");
    r.register("plugin.com.example.Demo.ready", (Gauge<Boolean>) () -> true);
    r.register("9lives", (Gauge<Integer>) () -> 9);
    return r;
  }

  @Test
  void aBusyEnvsMetricsWithPluginsAndExecutorLabelsPassPromtool() throws Exception {
    RpcEnv server = envs.server("server");
    server.setupEndpoint("echo", new EndpointMetricsTest.Echo());
    server.setupEndpoint("quote\"and\\slash", new EndpointMetricsTest.Echo());
    RpcEndpointRef echo = envs.client("client").setupEndpointRef(server.address(), "echo");
    for (int i = 0; i < 20; i++) {
      echo.askSync(i);
    }
    // The inbox counts what it handled as its batch ends, a moment after the last reply.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                EndpointMetricsTest.counter(
                        server.metrics(),
                        "rpcenv_endpoint_messages_received_total{endpoint=\"echo\",kind=\"ask\"}")
                    == 20);

    String text =
        new PrometheusText()
            .add(server.metrics(), Map.of("executor", "driver"))
            .add(pluginRegistry(), Map.of("executor", "driver"))
            .add(pluginRegistry(), Map.of("executor", "1"))
            .toString();

    assertPromtoolAccepts(text);
    assertThat(text)
        .contains("# TYPE rpcenv_endpoint_handling_seconds histogram")
        .contains(
            "rpcenv_endpoint_messages_received_total{executor=\"driver\",endpoint=\"echo\","
                + "kind=\"ask\"} 20")
        .contains("endpoint=\"quote\\\"and\\\\slash\"")
        .contains("plugin_com_example_Demo_hellos_total{executor=\"1\"} 3")
        .contains("plugin_com_example_Demo_ready{executor=\"1\"} 1")
        .contains("_9lives")
        .doesNotContain("Demo_state");
    assertThat(
            text.lines()
                .filter(l -> l.startsWith("rpcenv_endpoint_handling_seconds_count{"))
                .filter(l -> l.contains("endpoint=\"echo\"")))
        .singleElement()
        .asString()
        .startsWith(
            "rpcenv_endpoint_handling_seconds_count{executor=\"driver\",endpoint=\"echo\"} ");
  }

  @Test
  void theHistogramsBucketsAreCumulativeAndEndInTheCount() {
    MetricRegistry r = new MetricRegistry();
    r.histogram(
            "rpcenv_endpoint_handling_seconds{endpoint=\"x\"}",
            () -> new com.codahale.metrics.Histogram(new io.rpcenv.internal.metrics.LogBuckets()))
        .update(1_500); // 1.5 µs
    String text = PrometheusText.of(r);

    assertThat(text)
        .contains("rpcenv_endpoint_handling_seconds_bucket{endpoint=\"x\",le=\"1.024E-6\"} 0")
        .contains("rpcenv_endpoint_handling_seconds_bucket{endpoint=\"x\",le=\"2.048E-6\"} 1")
        .contains("rpcenv_endpoint_handling_seconds_bucket{endpoint=\"x\",le=\"+Inf\"} 1")
        .contains("rpcenv_endpoint_handling_seconds_sum{endpoint=\"x\"} 1.5E-6")
        .contains("rpcenv_endpoint_handling_seconds_count{endpoint=\"x\"} 1");
  }

  @Test
  void anInvalidLabelNameIsRefused() {
    assertThatThrownBy(
            () -> new PrometheusText().add(new MetricRegistry(), Map.of("bad-name", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Not a Prometheus label name: bad-name");
  }

  @Test
  void familiesCarriedToAnotherProcessAreWrittenThereWithItsLabelsAndPassPromtool()
      throws Exception {
    RpcEnv server = envs.server("server");
    server.setupEndpoint("echo", new EndpointMetricsTest.Echo());
    envs.client("client").setupEndpointRef(server.address(), "echo").askSync("hi");
    List<PrometheusFamily> fromExecutor =
        new PrometheusText()
            .add(server.metrics(), Map.of())
            .add(pluginRegistry(), Map.of())
            .families();
    // As the heartbeat carries them: serialized and back, each part checked again on arrival.
    List<PrometheusFamily> arrived = roundTrip(fromExecutor);

    String text =
        new PrometheusText()
            .add(pluginRegistry(), Map.of("executor", "driver"))
            .add(arrived, Map.of("executor", "1"))
            .add(arrived, Map.of("executor", "2"))
            .toString();

    assertPromtoolAccepts(text);
    assertThat(text)
        .contains("plugin_com_example_Demo_hellos_total{executor=\"1\"} 3")
        .contains("plugin_com_example_Demo_hellos_total{executor=\"2\"} 3")
        .contains("plugin_com_example_Demo_hellos_total{executor=\"driver\"} 3")
        .contains("rpcenv_connections_open{executor=\"2\",direction=\"in\",tls=\"false\"} ");
  }

  @Test
  void whatWouldMakeTheTextInvalidIsLeftOutWhenFamiliesAreAdded() throws Exception {
    PrometheusFamily asCounter =
        new PrometheusFamily(
            "jobs_total",
            "counter",
            "h",
            List.of(new PrometheusFamily.Sample("jobs_total", "", 1)));
    PrometheusFamily asGauge =
        new PrometheusFamily(
            "jobs_total", "gauge", "h", List.of(new PrometheusFamily.Sample("jobs_total", "", 2)));
    PrometheusFamily ownExecutor =
        new PrometheusFamily(
            "x", "gauge", "h", List.of(new PrometheusFamily.Sample("x", "executor=\"9\"", 1)));

    String text =
        new PrometheusText()
            .add(List.of(asCounter, asGauge, ownExecutor), Map.of("executor", "1"))
            .add(List.of(asCounter), Map.of("executor", "1"))
            .toString();

    assertPromtoolAccepts(text);
    assertThat(text.lines().filter(l -> l.startsWith("jobs_total")))
        .containsExactly("jobs_total{executor=\"1\"} 1");
    assertThat(text).doesNotContain("executor=\"9\"");
  }

  @Test
  void familiesThatAreNotValidExpositionFormatAreRefusedWhenMadeOrDeserialized() {
    assertThatThrownBy(() -> new PrometheusFamily("bad name", "gauge", "h", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Not valid in Prometheus text: the family name 'bad name'");
    assertThatThrownBy(() -> new PrometheusFamily("x", "untyped!", "h", List.of()))
        .hasMessageContaining("the type of x 'untyped!'");
    assertThatThrownBy(
            () ->
                new PrometheusFamily(
                    "x", "gauge", "h", List.of(new PrometheusFamily.Sample("y", "", 1))))
        .hasMessageContaining("the sample of gauge x 'y'");
    for (String labels :
        List.of(
            "a=\"1\"}\nevil 1",
            "a=\"1",
            "a=1",
            "a=\"1\",",
            "a=\"1\",a=\"2\"",
            "a=\"\\x\"",
            "1a=\"x\"",
            "a=\"x\"b=\"y\"",
            "a=\"line\nbreak\"")) {
      assertThatThrownBy(() -> new PrometheusFamily.Sample("x", labels, 1))
          .as(labels)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Not valid in Prometheus text: the labels of x");
    }
    assertThat(new PrometheusFamily.Sample("x", "a=\"q\\\"\\n\\\\\",b=\"\"", 1).hasLabel("b"))
        .isTrue();
    assertThat(new PrometheusFamily.Sample("x", "a=\"q\\\"\\n\",b=\"\"", 1).labelMap())
        .containsExactly(Map.entry("a", "q\"\n"), Map.entry("b", ""));
  }

  @SuppressWarnings("unchecked")
  private static List<PrometheusFamily> roundTrip(List<PrometheusFamily> families)
      throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(new java.util.ArrayList<>(families));
    }
    try (java.io.ObjectInputStream in =
        new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      return (List<PrometheusFamily>) in.readObject();
    }
  }
}
