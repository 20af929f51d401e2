package io.rpcenv.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rpcenv.RpcConf;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcEnv;
import io.rpcenv.RpcRemoteException;
import io.rpcenv.TestEnvs;
import io.rpcenv.plugin.ExecutorInfo;
import io.rpcenv.runtime.fixtures.Executors;
import io.rpcenv.runtime.fixtures.RuntimeTestPlugin;
import io.rpcenv.runtime.internal.Messages;
import io.rpcenv.testkit.Journal;
import io.rpcenv.testkit.Resources;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With authentication off, anyone who reaches the driver's port can talk to it; the runtime still
 * does not do a stranger's bidding: the driver's own control messages are refused from the network,
 * and an executor's messages count only from the connection it registered from.
 */
class DriverRefusesStrangersTest {
  @RegisterExtension final Resources resources = new Resources();

  private Driver driver() {
    Journal.reset();
    return resources.add(
        Driver.start(
            new RpcConf()
                .set("spark.ui.port", "0")
                .set("spark.plugins", RuntimeTestPlugin.class.getName())
                .set("spark.rpc.askTimeout", "20s")
                .set("spark.executor.heartbeatInterval", "200ms")
                .set("spark.network.timeout", "5s")
                .set("spark.network.timeoutInterval", "100ms")
                .set("spark.rpc.retry.wait", "100ms")));
  }

  private Executor executor(Driver driver, String id) {
    return Executors.start(resources, driver, id);
  }

  private RpcEndpointRef stranger(Driver driver, String name) {
    RpcEnv env = new TestEnvs(resources).client(name, new RpcConf());
    return env.setupEndpointRefByURI(driver.url());
  }

  @Test
  void theDriversOwnStopOrderFromTheNetworkStopsNothing() throws Exception {
    Driver driver = driver();
    Executor e1 = executor(driver, "e1");
    Executor e2 = executor(driver, "e2");
    RpcEndpointRef stranger = stranger(driver, "stranger");
    stranger.send(new Messages.StopExecutors(null));
    stranger.send(new Messages.StopExecutors("a guess"));
    stranger.send(new Messages.CheckExpiry("a guess"));
    // The driver handles one message at a time, in order: once this ask is answered, the sends were
    // handled.
    assertThat(stranger.<Messages.AppConf>askSync(new Messages.FetchConf("stranger"))).isNotNull();
    assertThat(e1.exit()).isNotDone();
    assertThat(e2.exit()).isNotDone();
    assertThat(driver.executors())
        .extracting(ExecutorInfo::executorId)
        .containsExactlyInAnyOrder("e1", "e2");
    // and it still takes new executors
    executor(driver, "e3");
    assertThat(driver.executors()).hasSize(3);
  }

  @Test
  void anExecutorsExitAndHeartbeatsCountOnlyFromItsOwnConnection() throws Exception {
    Driver driver = driver();
    Executor e1 = executor(driver, "e1");
    RpcEndpointRef stranger = stranger(driver, "stranger");
    Throwable exit =
        catchThrowable(
            () -> stranger.askSync(new Messages.ExecutorExiting("e1", "a stranger says so")));
    assertThat(exit)
        .isInstanceOf(RpcRemoteException.class)
        .hasMessageContaining("Executor e1 registered from")
        .hasMessageContaining("is not accepted");
    Throwable beat =
        catchThrowable(() -> stranger.askSync(new Messages.Heartbeat("e1", java.util.List.of())));
    assertThat(beat).isInstanceOf(RpcRemoteException.class).hasMessageContaining("a heartbeat");
    assertThat(driver.executors()).extracting(ExecutorInfo::executorId).containsExactly("e1");
    assertThat(e1.exit()).isNotDone();
    // a registered id cannot be taken over from another connection either
    RpcEnv other = new TestEnvs(resources).client("impostor", new RpcConf());
    RpcEndpointRef self =
        other.setupEndpoint(Messages.EXECUTOR_ENDPOINT, new io.rpcenv.RpcEndpoint() {});
    Throwable register =
        catchThrowable(
            () ->
                other
                    .setupEndpointRefByURI(driver.url())
                    .askSync(
                        new Messages.RegisterExecutor(
                            new ExecutorInfo("e1", "h", 1, Instant.now()), self, null)));
    assertThat(register)
        .isInstanceOf(RpcRemoteException.class)
        .hasMessageContaining("already registered");
  }

  @Test
  void anExecutorThatStopsByItselfIsRemovedAsExited() throws Exception {
    Driver driver = driver();
    Executor e1 = executor(driver, "e1");
    e1.stop(ExitCode.STOPPED, "asked by the test");
    assertThat(e1.exit().get(20, TimeUnit.SECONDS)).isEqualTo(ExitCode.STOPPED);
    assertThat(Journal.await("removed:e1")).contains("exited: asked by the test");
    assertThat(driver.executors()).isEmpty();
  }
}
