package io.rpcenv.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rpcenv.RpcConf;
import io.rpcenv.RpcConnectionException;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcEnv;
import io.rpcenv.RpcRemoteException;
import io.rpcenv.TestEnvs;
import io.rpcenv.plugin.ExecutorInfo;
import io.rpcenv.plugin.PluginException;
import io.rpcenv.runtime.fixtures.Executors;
import io.rpcenv.runtime.fixtures.RuntimeTestPlugin;
import io.rpcenv.runtime.internal.Messages;
import io.rpcenv.testkit.Journal;
import io.rpcenv.testkit.Resources;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Driver and executors in one JVM: registration, conf, heartbeats, expiry, stop orders. */
class DriverExecutorTest {
  @RegisterExtension final Resources resources = new Resources();

  static final String PLUGIN = RuntimeTestPlugin.class.getName();

  @BeforeEach
  void reset() {
    Journal.reset();
  }

  static RpcConf conf() {
    return new RpcConf()
        .set("spark.ui.port", "0")
        .set("spark.plugins", PLUGIN)
        .set("spark.rpc.askTimeout", "20s")
        .set("spark.executor.heartbeatInterval", "200ms")
        .set("spark.network.timeout", "5s")
        .set("spark.network.timeoutInterval", "100ms")
        .set("spark.rpc.retry.wait", "100ms");
  }

  private Driver driver(RpcConf conf) {
    return resources.add(Driver.start(conf));
  }

  private Executor executor(Driver driver, String id) {
    return Executors.start(resources, driver, id);
  }

  @Test
  void anExecutorFetchesTheConfRunsPluginsAndRegisters() throws Exception {
    Driver driver = driver(conf());
    assertThat(driver.url()).isEqualTo("spark://driver@" + driver.address().hostPort());
    assertThat(driver.pluginNames()).containsExactly(PLUGIN);
    executor(driver, "e1");
    assertThat(driver.awaitExecutors(1, Duration.ofSeconds(20))).isTrue();
    assertThat(driver.executors()).extracting(ExecutorInfo::executorId).containsExactly("e1");
    assertThat(Journal.await("executor-init:e1"))
        .isEqualTo("executor-init:e1:hello from the driver");
    assertThat(Journal.await("added:")).isEqualTo("added:e1");
    // the driver reaches the executor's plugin
    assertThat(RuntimeTestPlugin.driver.askExecutor("e1", "status"))
        .isEqualTo("executor e1 answers status");
  }

  @Test
  void aSecondExecutorWithTheSameIdIsRefused() {
    Driver driver = driver(conf());
    executor(driver, "same");
    assertThatThrownBy(() -> Executor.start(new RpcConf(), driver.url(), "same"))
        .isInstanceOf(RpcRemoteException.class)
        .hasMessageContaining("Executor id 'same' is already registered");
  }

  @Test
  void driverShutdownStopsExecutorsThenPluginsInOrder() throws Exception {
    Driver driver = driver(conf());
    Executor e1 = executor(driver, "e1");
    Executor e2 = executor(driver, "e2");
    driver.awaitExecutors(2, Duration.ofSeconds(20));
    Journal.drain();
    driver.shutdown();
    assertThat(e1.exit().get(20, TimeUnit.SECONDS)).isEqualTo(ExitCode.STOPPED);
    assertThat(e2.exit().get(20, TimeUnit.SECONDS)).isEqualTo(ExitCode.STOPPED);
    List<String> events = Journal.drain();
    // both executors' goodbyes reached the driver plugin before it shut down, which came last
    assertThat(events)
        .contains(
            "executor-shutdown:e1",
            "executor-shutdown:e2",
            "driver-received:bye from e1",
            "driver-received:bye from e2");
    assertThat(events).last().isEqualTo("driver-shutdown");
    assertThat(events.indexOf("driver-received:bye from e1"))
        .isLessThan(events.indexOf("driver-shutdown"));
  }

  @Test
  void anExecutorWhoseDriverVanishesExitsWithDriverLost() throws Exception {
    Driver driver = driver(conf());
    Executor e = executor(driver, "e1");
    driver.rpcEnv().close(); // the env goes away without telling anyone
    assertThat(e.exit().get(20, TimeUnit.SECONDS)).isEqualTo(ExitCode.DRIVER_LOST);
  }

  @Test
  void anExecutorTheDriverForgotExitsWithExpired() throws Exception {
    // A driver that answers like the real one but has forgotten the executor by its first
    // heartbeat.
    RpcEnv fake = new TestEnvs(resources).server("fake-driver", new RpcConf());
    fake.setupEndpoint(
        Messages.DRIVER_ENDPOINT,
        new io.rpcenv.RpcEndpoint() {
          @Override
          public void receiveAndReply(Object message, io.rpcenv.RpcCallContext context) {
            if (message instanceof Messages.FetchConf) {
              context.reply(new Messages.AppConf("app", conf().remove("spark.plugins").getAll()));
            } else {
              context.reply(!(message instanceof Messages.Heartbeat));
            }
          }
        });
    Executor e = Executor.start(new RpcConf(), "spark://driver@" + fake.address().hostPort(), "e1");
    assertThat(e.exit().get(20, TimeUnit.SECONDS)).isEqualTo(ExitCode.EXPIRED);
  }

  @Test
  void aSilentExecutorIsExpiredAfterTheNetworkTimeoutAndPluginsAreTold() throws Exception {
    Driver driver = driver(conf().set("spark.network.timeout", "1s"));
    // registers like an executor, then never heartbeats
    RpcEnv silent = new TestEnvs(resources).client("silent", new RpcConf());
    RpcEndpointRef ref = silent.setupEndpointRefByURI(driver.url());
    RpcEndpointRef self =
        silent.setupEndpoint(Messages.EXECUTOR_ENDPOINT, new io.rpcenv.RpcEndpoint() {});
    ref.askSync(
        new Messages.RegisterExecutor(
            new ExecutorInfo("quiet", "h", 1, Instant.now()), self, null));
    assertThat(driver.executors()).hasSize(1);
    long start = System.nanoTime();
    await().atMost(Duration.ofSeconds(20)).until(() -> driver.executors().isEmpty());
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(500);
    assertThat(Journal.await("removed:quiet"))
        .contains("heartbeat timed out")
        .contains("spark.network.timeout");
  }

  @Test
  void aHeartbeatIntervalNotBelowTheNetworkTimeoutIsRefused() {
    assertThatThrownBy(() -> Driver.start(conf().set("spark.executor.heartbeatInterval", "5s")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "spark.executor.heartbeatInterval (5000 ms) must be less than spark.network.timeout");
  }

  @Test
  void anExecutorThatCannotReachTheDriverFailsToStartNamingTheAddress() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    int p = port;
    assertThatThrownBy(
            () ->
                Executor.start(
                    new RpcConf()
                        .set("spark.rpc.numRetries", "1")
                        .set("spark.rpc.retry.wait", "50ms"),
                    "spark://driver@127.0.0.1:" + p,
                    "e1"))
        .isInstanceOf(RpcConnectionException.class)
        .hasMessageContaining("127.0.0.1:" + port);
  }

  @Test
  void anExecutorPluginFailingInitStopsTheExecutorAndTheDriverNeverSeesIt() {
    Driver driver = driver(conf());
    assertThatThrownBy(
            () -> Executor.start(new RpcConf().set("test.failInit", "true"), driver.url(), "bad"))
        .isInstanceOf(PluginException.class)
        .hasMessageContaining("test plugin refuses to init");
    assertThat(driver.executors()).isEmpty();
  }
}
