package io.rpcenv.spark.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.example.sparkit.ItApp;
import com.example.sparkit.ItDriverState;
import com.example.sparkit.ItMessages.Hello;
import io.rpcenv.RpcAuthenticationException;
import io.rpcenv.RpcEnv;
import io.rpcenv.RpcEnvConfig;
import io.rpcenv.RpcException;
import io.rpcenv.testkit.TestCertificates;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.metrics.source.Source;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

/**
 * rpcenv plugins inside real Spark applications whose driver is this JVM: {@code local-cluster} (a
 * master and two workers in this JVM, each executor a JVM of its own, so every message crosses a
 * process boundary) and {@code local}.
 */
class LocalClusterIT {
  private static SparkHome home;

  @BeforeAll
  static void sparkHome() {
    // Where the workers look: the SPARK_HOME the build gives this JVM's environment.
    home = SparkHome.create(Path.of(System.getenv("SPARK_HOME")), jar -> true);
  }

  @Test
  void javaAndScalaPluginsTalkBothWaysBetweenDriverAndExecutorProcesses() throws Exception {
    ItDriverState state = ItDriverState.reset();
    SparkConf conf =
        SparkApps.conf(
                "local-cluster[2,1,1024]",
                String.join(
                    ",", SparkApps.IT_PLUGIN, SparkApps.DEMO_PLUGIN, SparkApps.SCALA_PLUGIN))
            // Spark's own JMX sink: what reaches Spark's sinks is visible in this JVM.
            .set("spark.metrics.conf.*.sink.jmx.class", "org.apache.spark.metrics.sink.JmxSink");
    String appId;
    List<String> lines;
    try (SparkApps.CapturedStdout out = new SparkApps.CapturedStdout()) {
      SparkContext sc = new SparkContext(conf);
      appId = sc.applicationId();
      try {
        lines = ItApp.converse(sc, 2);
        assertPluginMetricsInSparksMetricsSystem();
      } finally {
        sc.stop();
      }
      // The demo's conversation: the executors' shutdown sends reached the driver's plugins
      // before they shut down, in Spark's order.
      assertThat(out.text().split("\n"))
          .filteredOn(l -> l.equals("the final value is 100"))
          .hasSize(2);
      assertThat(out.text().split("\n"))
          .filteredOn(l -> l.equals("scala: the final value is 100"))
          .hasSize(2);
    }
    assertConversation(lines, 2);
    assertThat(state.isShutDown()).isTrue();
    List<String> logs = home.executorLogs(appId);
    assertThat(logs).filteredOn(l -> l.contains("the initial configuration is 10")).hasSize(2);
    assertThat(logs)
        .filteredOn(l -> l.contains("scala: the initial configuration is 10"))
        .hasSize(2);
    // Scala's proxy for objects admits only what the object's own class is admitted for.
    assertThat(logs)
        .filteredOn(
            l ->
                l.contains("scala: the outsider was refused")
                    && l.contains("com.example.scalait.outside.Outsider$ is not allowed"))
        .hasSize(2);
    SparkApps.assertNoLeaks(home);
  }

  @Test
  void withAuthenticationTheApplicationsSecretIsUsedAndAKilledExecutorIsReported()
      throws Exception {
    ItDriverState state = ItDriverState.reset();
    String secret = UUID.randomUUID().toString();
    SparkConf conf =
        SparkApps.conf("local-cluster[2,1,1024]", SparkApps.IT_PLUGIN)
            .set("spark.authenticate", "true")
            .set("spark.authenticate.secret", secret);
    SparkContext sc = new SparkContext(conf);
    String appId = sc.applicationId();
    try {
      assertConversation(ItApp.converse(sc, 2), 2);

      // A client without the secret is refused by the driver's rpcenv env.
      try (RpcEnv intruder =
          RpcEnv.create(RpcEnvConfig.builder("intruder").clientMode(true).build())) {
        assertThatThrownBy(
                () -> intruder.setupEndpointRef(state.driver().address(), "rpcenv-spark"))
            .isInstanceOf(RpcAuthenticationException.class)
            .hasMessageContaining("requires authentication");
      }
      // The secret is in no conf that executors fetch.
      for (Tuple2<String, String> kv : sc.getConf().getAll()) {
        if (!kv._1().equals("spark.authenticate.secret")) {
          assertThat(kv._2()).as(kv._1()).doesNotContain(secret);
        }
      }

      // An executor killed outright is reported to the driver plugins, with Spark's reason.
      Hello victim = state.hellos().values().iterator().next();
      ProcessHandle.of(victim.pid()).orElseThrow().destroyForcibly();
      state.await(
          s -> s.removed().containsKey(victim.executorId()),
          Duration.ofSeconds(60),
          "executor " + victim.executorId() + " to be reported removed");
      assertThat(state.removed().get(victim.executorId())).isNotBlank();
    } finally {
      sc.stop();
    }
    assertThat(home.executorLogs(appId)).noneMatch(log -> log.contains(secret));
    SparkApps.assertNoLeaks(home);
  }

  @Test
  void withSparksRpcTlsTheRpcenvConnectionsAreTlsAndThePasswordsStayOutOfConfAndLogs(
      @TempDir Path dir) throws Exception {
    ItDriverState state = ItDriverState.reset();
    String password = UUID.randomUUID().toString();
    TestCertificates certs = new TestCertificates(dir, password);
    TestCertificates.Authority ca = certs.authority("ca");
    // Spark's own RPC takes spark.ssl.rpc.* too: the application's keys serve both.
    SparkConf conf =
        SparkApps.conf("local-cluster[2,1,1024]", SparkApps.IT_PLUGIN)
            .set("spark.ssl.rpc.enabled", "true")
            .set("spark.ssl.rpc.keyStore", certs.identity("node", ca).keyStore().toString())
            .set("spark.ssl.rpc.keyStorePassword", password)
            .set("spark.ssl.rpc.keyPassword", password)
            .set("spark.ssl.rpc.trustStore", certs.trustStore("trust", ca).toString())
            .set("spark.ssl.rpc.trustStorePassword", password);
    SparkContext sc = new SparkContext(conf);
    String appId = sc.applicationId();
    try {
      assertConversation(ItApp.converse(sc, 2), 2);

      // The driver's rpcenv env speaks nothing but TLS.
      try (RpcEnv plaintext =
          RpcEnv.create(RpcEnvConfig.builder("plaintext").clientMode(true).build())) {
        assertThatThrownBy(
                () -> plaintext.setupEndpointRef(state.driver().address(), "rpcenv-spark"))
            .isInstanceOf(RpcException.class)
            .hasMessageContaining("spark.ssl.rpc.enabled");
      }
      assertThat(state.driver().conf().getAll().values()).doesNotContain(password);
    } finally {
      sc.stop();
    }
    assertThat(home.executorLogs(appId)).isNotEmpty().noneMatch(log -> log.contains(password));
    SparkApps.assertNoLeaks(home);
  }

  @Test
  void inLocalModeTheExecutorPartRunsInTheDriversJvm() throws Exception {
    ItDriverState.reset();
    SparkContext sc = new SparkContext(SparkApps.conf("local[2]", SparkApps.IT_PLUGIN));
    try {
      List<String> lines = ItApp.converse(sc, 1);
      assertThat(lines).contains("pong driver from driver n=7");
      assertConversation(lines, 1);
    } finally {
      sc.stop();
    }
    SparkApps.assertNoLeaks(home);
  }

  @Test
  void anExecutorPartWhoseInitThrowsIsReportedWithThePluginAndTheCause() {
    SparkConf conf = SparkApps.conf("local[2]", "com.example.sparkit.FailingPlugin");
    assertThatThrownBy(() -> new SparkContext(conf).stop())
        .satisfies(
            e -> {
              StringBuilder chain = new StringBuilder();
              for (Throwable t = e; t != null; t = t.getCause()) {
                chain.append(t).append('\n');
              }
              assertThat(chain.toString())
                  .contains("Executor plugin com.example.sparkit.FailingPlugin failed in init")
                  .contains("no GPU on this executor");
            });
  }

  @Test
  void onAClusterTheExecutorsLogNamesThePluginWhoseInitThrewAndTheCause() {
    SparkConf conf =
        SparkApps.conf("local-cluster[1,1,1024]", "com.example.sparkit.FailingPlugin")
            .set("spark.deploy.maxExecutorRetries", "1");
    SparkContext sc = new SparkContext(conf);
    try {
      // The executor exits; its log says why, and Spark starts no task there.
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(home.executorLogs(sc.applicationId()))
                      .anyMatch(
                          log ->
                              log.contains(
                                      "Executor plugin com.example.sparkit.FailingPlugin failed"
                                          + " in init")
                                  && log.contains("no GPU on this executor")));
    } finally {
      sc.stop();
    }
  }

  /** What {@link ItApp#converse} saw, for {@code n} executors. */
  static void assertConversation(List<String> lines, int n) {
    assertThat(lines).contains("job counted 8, failing job failed", "executors " + n);
    assertThat(lines).filteredOn(l -> l.startsWith("pong ")).hasSize(n);
    for (String pong : lines) {
      if (pong.startsWith("pong ")) {
        String[] f = pong.split(" ");
        assertThat(f[3]).as("the executor that answered " + pong).isEqualTo(f[1]);
        assertThat(pong).endsWith("n=7");
      }
    }
    assertThat(lines)
        .filteredOn(l -> l.startsWith("outcome "))
        .hasSize(n)
        .allMatch(l -> l.endsWith("ItFailure: the driver refuses: no reason"));
    assertThat(lines)
        .filteredOn(l -> l.startsWith("hostname "))
        .hasSize(n)
        .allMatch(l -> l.split(" ").length == 3 && !l.endsWith(" null"));
    assertThat(lines).contains("broadcast to " + n + ", noted by " + n);
    assertThat(lines).contains("executors that saw the task's own exception 1");
  }

  private static void assertPluginMetricsInSparksMetricsSystem() {
    scala.collection.immutable.Seq<Source> sources =
        SparkEnv.get().metricsSystem().getSourcesByName("plugin." + SparkApps.ADAPTER);
    assertThat(sources.isEmpty()).as("the adapter's metrics source").isFalse();
    assertThat(sources.head().metricRegistry().getNames())
        .contains("plugin." + SparkApps.IT_PLUGIN + ".hellos");
    // The env's own metrics beside them, live: the executors' asks were counted.
    assertThat(
            sources
                .head()
                .metricRegistry()
                .getCounters()
                .get(
                    "rpcenv.rpcenv_endpoint_messages_received_total{endpoint=\""
                        + "io.rpcenv.plugin.PluginEndpoint\",kind=\"ask\"}")
                .getCount())
        .isPositive();
    try {
      assertThat(ManagementFactory.getPlatformMBeanServer().queryNames(null, null))
          .as("Spark's JMX sink reports the env's series")
          .anyMatch(
              n ->
                  n.toString()
                      .contains("RpcenvSparkPlugin.rpcenv.rpcenv_endpoint_handling_seconds"));
    } catch (RuntimeException e) {
      throw new AssertionError(e);
    }
  }
}
