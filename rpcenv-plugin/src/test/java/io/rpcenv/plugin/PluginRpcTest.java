package io.rpcenv.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rpcenv.RpcConf;
import io.rpcenv.RpcEndpointNotFoundException;
import io.rpcenv.RpcEnv;
import io.rpcenv.RpcTimeoutException;
import io.rpcenv.TestEnvs;
import io.rpcenv.plugin.fixtures.BadPlugins;
import io.rpcenv.plugin.fixtures.EchoPlugin;
import io.rpcenv.plugin.fixtures.SecondPlugin;
import io.rpcenv.plugin.host.ExecutorPluginContainer;
import io.rpcenv.plugin.internal.PluginEndpoint;
import io.rpcenv.plugin.internal.PluginMessage;
import io.rpcenv.testkit.Journal;
import io.rpcenv.testkit.Resources;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Spark's plugin behaviour (spec section 7), and where rpcenv does better. */
class PluginRpcTest {
  @RegisterExtension final Resources resources = new Resources();

  static final String ECHO = EchoPlugin.class.getName();
  static final String SECOND = SecondPlugin.class.getName();

  @BeforeEach
  void reset() {
    Journal.reset();
    EchoPlugin.EXECUTOR_CONTEXTS.clear();
  }

  private PluginTestbed testbed(String plugins) {
    return new PluginTestbed(resources, new RpcConf().set("spark.plugins", plugins)).startDriver();
  }

  private static PluginContext executorContext(String id) {
    return EchoPlugin.EXECUTOR_CONTEXTS.get(id);
  }

  @Test
  void nothingStartsWhenNoPluginIsConfigured() {
    PluginTestbed t = new PluginTestbed(resources, new RpcConf()).startDriver();
    assertThat(t.driver).isEmpty();
    assertThatThrownBy(
            () -> t.driverEnv.setupEndpointRef(t.driverEnv.address(), PluginEndpoint.DRIVER_NAME))
        .isInstanceOf(RpcEndpointNotFoundException.class);
    assertThat(t.executor("1").plugins).isEmpty();
  }

  @Test
  void driverPluginsInitInOrderAndTheEndpointStartsAfterwards() throws Exception {
    PluginTestbed t = testbed(ECHO + "," + SECOND);
    assertThat(Journal.drain())
        .containsExactly(
            "driver-init:EchoPlugin",
            "driver-init-ask:IllegalStateException:The driver plugin endpoint is not running yet:"
                + " plugins cannot send or ask during DriverPlugin.init",
            "driver-init:SecondPlugin:conf=true",
            "driver-metrics:app-test");
    assertThat(t.driver.orElseThrow().pluginNames()).containsExactly(ECHO, SECOND);
    // the failure during init was not cached: the same context works now, delivered locally
    assertThat(EchoPlugin.driverPluginContext.ask("later", String.class))
        .isEqualTo("driver got later");
  }

  @Test
  void aDriverPluginFailingInitStopsStartUpAndShutsDownThoseBeforeIt() {
    Journal.SETTINGS.put("fail", "init");
    assertThatThrownBy(() -> testbed(ECHO + "," + SECOND))
        .isInstanceOf(PluginException.class)
        .hasMessageContaining("Driver plugin " + SECOND + " failed in init")
        .hasMessageContaining("second plugin refuses to start");
    assertThat(Journal.drain()).contains("driver-shutdown:EchoPlugin");
  }

  @Test
  void extraConfFromDriverInitReachesExecutorInitExactly() throws Exception {
    PluginTestbed t = testbed(ECHO);
    assertThat(t.driverConf.get("spark.plugins.internal.conf." + ECHO + ".answer")).isEqualTo("42");
    t.executor("7");
    assertThat(Journal.await("executor-init:")).isEqualTo("executor-init:7:exec-host-7");
    assertThat(Journal.RECORDED_MAPS.get("7")).isEqualTo(Map.of("answer", "42", "who", "echo"));
  }

  @Test
  void anExecutorAsksAndSendsToItsDriverPart() throws Exception {
    PluginTestbed t = testbed(ECHO);
    t.executor("1");
    PluginContext ctx = executorContext("1");
    assertThat(ctx.executorID()).isEqualTo("1");
    assertThat(ctx.hostname())
        .isEqualTo("exec-host-1"); // defined on a client-mode executor, unlike Spark
    assertThat(ctx.ask("ping")).isEqualTo("driver got ping");
    assertThat(ctx.ask("typed", String.class)).isEqualTo("driver got typed");
    ctx.send("one-way");
    assertThat(Journal.await("driver-received:one-way")).isEqualTo("driver-received:one-way");
    assertThatThrownBy(() -> ctx.ask("x", Integer.class))
        .isInstanceOf(ClassCastException.class)
        .hasMessageContaining("java.lang.String, not the expected java.lang.Integer");
  }

  @Test
  void theDriverPartsExceptionReachesTheExecutorWithItsOwnTypeAndMessage() {
    testbed(ECHO).executor("1");
    assertThatThrownBy(() -> executorContext("1").ask(new EchoPlugin.Fail("not today")))
        .isInstanceOf(EchoPlugin.PluginFailure.class)
        .hasMessage("not today");
  }

  @Test
  void aMessageTheDriverPartDoesNotHandleFailsNamingPluginAndMessageClass() throws Exception {
    PluginTestbed t =
        new PluginTestbed(resources, new RpcConf().set("spark.plugins", SECOND)).startDriver();
    PluginContext asSecond =
        new io.rpcenv.plugin.internal.PluginContextImpl(
            SECOND, t.driverConf, "x", "h", () -> t.driver.orElseThrow().endpoint());
    assertThatThrownBy(() -> asSecond.ask(42))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("does not handle messages (got java.lang.Integer)")
        .hasMessageContaining("SecondPlugin");
  }

  @Test
  void aMessageForAnUnknownPluginFailsNamingIt() {
    PluginTestbed t = testbed(ECHO);
    RpcEnv other = resources.add(new TestEnvs(resources).client("other", new RpcConf()));
    var ref = other.setupEndpointRef(t.driverEnv.address(), PluginEndpoint.DRIVER_NAME);
    assertThatThrownBy(() -> ref.askSync(new PluginMessage("com.example.Nobody", "hi")))
        .hasCauseInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Received message for unknown plugin com.example.Nobody");
  }

  @Test
  void aTimeoutNamesTheSetting() throws Exception {
    PluginTestbed t =
        new PluginTestbed(
                resources,
                new RpcConf().set("spark.plugins", ECHO).set("spark.rpc.askTimeout", "300ms"))
            .startDriver();
    t.executor("1");
    CountDownLatch release = new CountDownLatch(1);
    Journal.SETTINGS.put("stall", release);
    assertThatThrownBy(() -> executorContext("1").ask(new EchoPlugin.Stall()))
        .isInstanceOf(RpcTimeoutException.class)
        .hasMessageEndingWith("This timeout is controlled by spark.rpc.askTimeout");
    release.countDown();
  }

  @Test
  void askFromInsideDriverReceiveFailsFastInsteadOfDeadlocking() throws Exception {
    testbed(ECHO).executor("1");
    long start = System.nanoTime();
    assertThatThrownBy(() -> executorContext("1").ask(new EchoPlugin.AskYourself()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("called ask from inside DriverPlugin.receive");
    assertThat(java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start))
        .isLessThan(10);
  }

  @Test
  void theExecutorsDriverLookupIsRetriedAfterAFailure() throws Exception {
    PluginTestbed t =
        new PluginTestbed(
            resources, new RpcConf().set("spark.plugins", ECHO)); // driver not started
    t.executor("1");
    PluginContext ctx = executorContext("1");
    assertThatThrownBy(() -> ctx.ask("too early"))
        .isInstanceOf(RpcEndpointNotFoundException.class)
        .hasMessageContaining(PluginEndpoint.DRIVER_NAME);
    t.startDriver();
    assertThat(ctx.ask("now")).isEqualTo("driver got now");
  }

  @Test
  void theDriverMessagesOneExecutorOrAll() throws Exception {
    PluginTestbed t = testbed(ECHO);
    t.executor("1");
    t.executor("2");
    DriverContext driver = EchoPlugin.driverContext;
    assertThat(driver.executors())
        .extracting(ExecutorInfo::executorId)
        .containsExactlyInAnyOrder("1", "2");
    assertThat(driver.askExecutor("2", "status")).isEqualTo("executor 2 got status");
    assertThat(driver.askExecutor("1", "typed", String.class)).isEqualTo("executor 1 got typed");
    assertThat(driver.askExecutorAsync("1", "async").get(20, java.util.concurrent.TimeUnit.SECONDS))
        .isEqualTo("executor 1 got async");
    driver.sendToExecutor("1", "just you");
    assertThat(Journal.await("executor-received:1:just you")).isNotNull();
    assertThat(driver.broadcast("everyone")).isEqualTo(2);
    String first = Journal.await("executor-received:");
    String second = Journal.await("executor-received:");
    assertThat(java.util.List.of(first, second))
        .containsExactlyInAnyOrder("executor-received:1:everyone", "executor-received:2:everyone");
    assertThatThrownBy(() -> driver.askExecutor("1", new EchoPlugin.Fail("no")))
        .isInstanceOf(EchoPlugin.PluginFailure.class)
        .hasMessage("executor 1: no");
    assertThatThrownBy(() -> driver.askExecutor("1", new EchoPlugin.Unhandled()))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("ExecutorPlugin.receive");
    assertThatThrownBy(() -> driver.sendToExecutor("9", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("No live executor '9'");
  }

  @Test
  void driverPluginsHearOfExecutorsComingAndGoing() throws Exception {
    PluginTestbed t = testbed(ECHO);
    t.executor("3");
    assertThat(Journal.await("driver-executor-added:")).isEqualTo("driver-executor-added:3");
    t.removeExecutor("3", "lost");
    assertThat(Journal.await("driver-executor-removed:"))
        .isEqualTo("driver-executor-removed:3:lost");
  }

  @Test
  void metricsAreRegisteredUnderThePluginName() {
    PluginTestbed t = testbed(ECHO);
    PluginTestbed.Exec e = t.executor("1");
    assertThat(t.driverMetrics.getNames()).contains("plugin." + ECHO + ".asks");
    assertThat(e.metrics.getCounters().get("plugin." + ECHO + ".tasks").getCount()).isEqualTo(3);
  }

  @Test
  void driverShutdownHandlesQueuedMessagesFirstThenShutsPluginsDownInOrderDespiteFailures()
      throws Exception {
    Journal.SETTINGS.put("fail", "shutdown");
    PluginTestbed t = testbed(ECHO + "," + SECOND);
    t.executor("1");
    Journal.drain();
    PluginContext ctx = executorContext("1");
    for (int i = 0; i < 20; i++) {
      ctx.send("m" + i);
    }
    ctx.ask("sync point"); // every send above has arrived at the plugin endpoint
    t.driver.orElseThrow().shutdown();
    java.util.List<String> events = Journal.drain();
    assertThat(events).filteredOn(s -> s.startsWith("driver-received:m")).hasSize(20);
    assertThat(events.subList(events.size() - 2, events.size()))
        .containsExactly("driver-shutdown:EchoPlugin", "driver-shutdown:SecondPlugin");
  }

  @Test
  void executorShutdownMaySendAGoodbyeThatTheDriverReceives() throws Exception {
    PluginTestbed t = testbed(ECHO);
    PluginTestbed.Exec e = t.executor("1");
    e.plugins.orElseThrow().shutdown();
    assertThat(Journal.await("executor-shutdown:1")).isNotNull();
    assertThat(Journal.await("driver-received:goodbye from 1")).isNotNull();
  }

  @Test
  void anExecutorPluginFailingInitStopsTheExecutorNamingThePlugin() {
    PluginTestbed t = testbed(ECHO + "," + BadPlugins.ExecutorInitFails.class.getName());
    assertThatThrownBy(() -> t.executor("5"))
        .isInstanceOf(PluginException.class)
        .hasMessageContaining("Executor plugin " + BadPlugins.ExecutorInitFails.class.getName())
        .hasMessageContaining("on executor 5")
        .hasMessageContaining("executor init failed");
    assertThat(Journal.drain()).contains("executor-shutdown:5");
  }

  @Test
  void taskHooksRunEvenWhenAnEarlierHookFailed() throws Exception {
    PluginTestbed t = testbed(ECHO);
    ExecutorPluginContainer plugins = t.executor("1").plugins.orElseThrow();
    Journal.drain();
    plugins.onTaskStart(); // the fixture throws here; the container logs it
    plugins.onTaskSucceeded();
    // other entries (the driver hearing of the executor) may arrive at any moment: keep the hooks'
    assertThat(Journal.drain().stream().filter(e -> e.startsWith("task-")))
        .containsExactly("task-start", "task-succeeded");
  }

  @Test
  void resourcesComeFromTheConf() {
    RpcConf conf =
        new RpcConf()
            .set("spark.executor.resource.gpu.addresses", "0, 1")
            .set("spark.driver.resource.fpga.addresses", "a");
    PluginContext exec =
        new io.rpcenv.plugin.internal.PluginContextImpl(ECHO, conf, "1", "h", () -> null);
    PluginContext drv =
        new io.rpcenv.plugin.internal.PluginContextImpl(ECHO, conf, "driver", "h", () -> null);
    assertThat(exec.resources())
        .isEqualTo(Map.of("gpu", new ResourceInformation("gpu", java.util.List.of("0", "1"))));
    assertThat(drv.resources()).containsOnlyKeys("fpga");
  }
}
