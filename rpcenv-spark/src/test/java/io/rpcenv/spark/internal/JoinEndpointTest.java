package io.rpcenv.spark.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rpcenv.RpcCallContext;
import io.rpcenv.RpcEndpoint;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcEnv;
import io.rpcenv.RpcRemoteException;
import io.rpcenv.TestEnvs;
import io.rpcenv.plugin.ExecutorInfo;
import io.rpcenv.testkit.Resources;
import java.time.Duration;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import scala.collection.immutable.Map$;

/** The driver part's join endpoint on a real env on 127.0.0.1, joined by real client envs. */
class JoinEndpointTest {
  @RegisterExtension final Resources resources = new Resources();
  private final TestEnvs envs = new TestEnvs(resources);
  private final SparkExecutors executors = new SparkExecutors();
  private RpcEnv driver;

  @BeforeEach
  void startDriver() {
    driver = envs.server("driver");
    driver.setupEndpoint(JoinEndpoint.NAME, new JoinEndpoint(executors));
  }

  private RpcEndpointRef joinRef(RpcEnv from) {
    return from.setupEndpointRef(driver.address(), JoinEndpoint.NAME);
  }

  /** What Spark's listener bus says when executor {@code id} on {@code host} is added. */
  private static SparkListenerExecutorAdded sparkAdds(String id, String host) {
    return new SparkListenerExecutorAdded(
        0L, id, new org.apache.spark.scheduler.cluster.ExecutorInfo(host, 1, Map$.MODULE$.empty()));
  }

  /** A plugin endpoint in {@code env} that answers every ask with {@code name}. */
  private static RpcEndpointRef answering(RpcEnv env, String name) {
    return env.setupEndpoint(
        "plugins",
        new RpcEndpoint() {
          @Override
          public void receiveAndReply(Object message, RpcCallContext context) {
            context.reply(name);
          }
        });
  }

  @Test
  void aStrangerThatJoinedFirstLosesTheIdWhenItsConnectionCloses() {
    RpcEnv stranger = envs.client("stranger");
    assertThat(
            joinRef(stranger)
                .<Object>askSync(new ExecutorJoined("1", "evil", answering(stranger, "stranger"))))
        .isEqualTo(true);
    stranger.close();
    RpcEnv real = envs.client("real");
    RpcEndpointRef join = joinRef(real);
    RpcEndpointRef plugins = answering(real, "real");

    // Refused until the driver has seen the stranger's connection close.
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptionsInstanceOf(RpcRemoteException.class)
        .until(() -> join.<Object>askSync(new ExecutorJoined("1", "host-a", plugins)).equals(true));
    executors.onExecutorAdded(sparkAdds("1", "host-a"));

    assertThat(executors.executors()).extracting(ExecutorInfo::executorId).containsExactly("1");
    assertThat(executors.pluginEndpoint("1").<Object>askSync("who")).isEqualTo("real");
  }

  @Test
  void whileTheStrangerStaysConnectedTheRealExecutorIsRefusedWithTheReason() {
    RpcEnv stranger = envs.client("stranger");
    joinRef(stranger).askSync(new ExecutorJoined("1", "evil", null));
    RpcEnv real = envs.client("real");

    assertThatThrownBy(() -> joinRef(real).askSync(new ExecutorJoined("1", "host-a", null)))
        .isInstanceOf(RpcRemoteException.class)
        .hasMessageContaining("refuses the join")
        .hasMessageContaining("an executor part already joined as executor 1");
  }

  @Test
  void oneConnectionJoinsAsOneExecutorOnly() {
    RpcEnv client = envs.client("client");
    RpcEndpointRef join = joinRef(client);
    assertThat(join.<Object>askSync(new ExecutorJoined("1", "host-a", null))).isEqualTo(true);

    assertThatThrownBy(() -> join.askSync(new ExecutorJoined("2", "host-a", null)))
        .isInstanceOf(RpcRemoteException.class)
        .hasMessageContaining("this connection already joined as executor 1");
    executors.onExecutorAdded(sparkAdds("2", "host-a"));
    assertThat(executors.executors()).isEmpty();
  }

  @Test
  void anAnnouncedExecutorStaysWhenItsConnectionClosesUntilSparkRemovesIt() {
    RpcEnv client = envs.client("client");
    joinRef(client).askSync(new ExecutorJoined("1", "host-a", null));
    executors.onExecutorAdded(sparkAdds("1", "host-a"));
    client.close();

    // Refused until the driver has seen the stranger's connection close.
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptionsInstanceOf(RpcRemoteException.class)
        .until(() -> executors.awaitDisconnected(Duration.ZERO) == 0);
    assertThat(executors.executors()).extracting(ExecutorInfo::executorId).containsExactly("1");
  }

  @Test
  void aJoinWithAnIdOrHostNoSparkExecutorHasIsRefusedAndNothingIsKept() {
    RpcEnv client = envs.client("client");
    RpcEndpointRef join = joinRef(client);

    assertThatThrownBy(() -> join.askSync(new ExecutorJoined(" ", "host-a", null)))
        .hasMessageContaining("its executor id is missing");
    assertThatThrownBy(() -> join.askSync(new ExecutorJoined("x".repeat(10_000), "host-a", null)))
        .hasMessageContaining("its executor id is 10000 characters long, more than 256");
    assertThatThrownBy(() -> join.askSync(new ExecutorJoined("1", "a\nb", null)))
        .hasMessageContaining("its host holds control characters");
    assertThatThrownBy(() -> join.askSync(new ExecutorJoined("1", null, null)))
        .hasMessageContaining("its host is missing");

    // None of the refused joins used up the connection or the id.
    assertThat(join.<Object>askSync(new ExecutorJoined("1", "host-a", null))).isEqualTo(true);
  }
}
