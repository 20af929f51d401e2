package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rpcenv.testkit.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConnectionLossTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  @Test
  void asksFailAtOnceNamingThePeerWhenItsConnectionCloses() throws Exception {
    RpcEnv server =
        resources.add(RpcEnv.create(RpcEnvConfig.builder("server").conf(TestEnvs.conf()).build()));
    CountDownLatch arrived = new CountDownLatch(10);
    server.setupEndpoint("silent", Endpoints.replying((m, ctx) -> arrived.countDown()));
    RpcEnv client = envs.client("client", TestEnvs.conf().set("spark.rpc.askTimeout", "120s"));
    RpcEndpointRef ref = client.setupEndpointRef(server.address(), "silent");
    List<CompletableFuture<Object>> asks = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      asks.add(ref.ask(i));
    }
    assertThat(arrived.await(20, TimeUnit.SECONDS)).isTrue();
    long start = System.nanoTime();
    server.close(); // the peer goes away with ten asks unanswered
    for (CompletableFuture<Object> ask : asks) {
      assertThatThrownBy(() -> ask.get(20, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(RpcConnectionException.class)
          .hasMessageContaining(server.address().hostPort());
    }
    // far less than the 120 s ask timeout
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(15);
  }

  @Test
  void aNewConnectionIsMadeAfterTheOldOneClosed() throws Exception {
    RpcEnv server =
        resources.add(RpcEnv.create(RpcEnvConfig.builder("server").conf(TestEnvs.conf()).build()));
    server.setupEndpoint("echo", Endpoints.echo());
    int port = server.address().port();
    RpcEnv client = envs.client("client");
    RpcEndpointRef ref = client.setupEndpointRef(server.address(), "echo");
    assertThat(ref.<String>askSync("first")).isEqualTo("first");
    server.close();
    RpcEnv restarted = envs.server("restarted", TestEnvs.conf());
    // a restart on a new port: old refs fail cleanly, lookups of the new address work
    assertThatThrownBy(
            () -> ref.askSync("to the old one", new RpcTimeout(Duration.ofSeconds(20), "p")))
        .isInstanceOf(RpcConnectionException.class)
        .hasMessageContaining(String.valueOf(port));
    restarted.setupEndpoint("echo", Endpoints.echo());
    assertThat(client.setupEndpointRef(restarted.address(), "echo").<String>askSync("again"))
        .isEqualTo("again");
  }
}
