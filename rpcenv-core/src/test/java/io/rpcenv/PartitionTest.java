package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import io.rpcenv.testkit.Resources;
import io.rpcenv.testkit.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A network that silently drops everything (a blackhole in a proxy between the peers): asks fail by
 * their own deadline or, sooner, by the keepalive, never after TCP gives up; traffic resumes once
 * the network heals; a live peer that is merely slow is never mistaken for a dead one.
 */
class PartitionTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  private RpcEnv server;
  private RpcEnv client;
  private TcpProxy proxy;

  private RpcEndpointRef echoThroughProxy(RpcConf clientConf) throws Exception {
    server = envs.server("server");
    server.setupEndpoint("echo", Endpoints.echo());
    proxy = resources.add(TcpProxy.start("127.0.0.1", server.address().port()));
    client = envs.client("client", clientConf);
    return client.setupEndpointRef(new RpcAddress("127.0.0.1", proxy.port()), "echo");
  }

  /** An echo ref through the proxy, used once, then cut off by a blackhole. */
  private RpcEndpointRef echoBehindABlackhole(String askTimeout, String connectionTimeout)
      throws Exception {
    RpcEndpointRef ref =
        echoThroughProxy(
            TestEnvs.conf()
                .set("spark.rpc.askTimeout", askTimeout)
                .set("spark.rpc.io.connectionTimeout", connectionTimeout));
    assertThat(ref.<String>askSync("before")).isEqualTo("before");
    proxy.blackhole();
    return ref;
  }

  private static Throwable failureOf(CompletableFuture<?> f) {
    Throwable t = catchThrowable(() -> f.get(60, TimeUnit.SECONDS));
    assertThat(t).isInstanceOf(ExecutionException.class);
    return t.getCause();
  }

  @Test
  void asksFailByTheirDeadlineDuringASilentPartitionAndTrafficResumesAfterIt() throws Exception {
    RpcEndpointRef ref = echoBehindABlackhole("1s", "2s");
    long start = System.nanoTime();
    List<CompletableFuture<String>> asks = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      asks.add(ref.ask("during " + i));
    }
    for (CompletableFuture<String> ask : asks) {
      assertThat(failureOf(ask))
          .isInstanceOf(RpcTimeoutException.class)
          .hasMessageContaining("spark.rpc.askTimeout")
          .hasMessageContaining("echo");
    }
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(elapsedMs)
        .isBetween(900L, 15_000L); // by the deadline: not before it, not long after
    // The unanswered keepalive ping gives the dead connection away; it is closed, and once the
    // network heals a new one carries the traffic.
    await().atMost(Duration.ofSeconds(30)).until(() -> proxy.openConnections() == 0);
    proxy.pass();
    assertThat(ref.<String>askSync("after")).isEqualTo("after");
  }

  @Test
  void withALongAskTimeoutTheKeepaliveFailsAsksLongBeforeTheirDeadline() throws Exception {
    RpcEndpointRef ref = echoBehindABlackhole("120s", "1s");
    long start = System.nanoTime();
    CompletableFuture<String> ask = ref.ask("lost");
    assertThat(failureOf(ask))
        .isInstanceOf(RpcConnectionException.class)
        .hasMessageContaining("spark.rpc.io.connectionTimeout")
        .hasMessageContaining("keepalive ping went unanswered")
        .hasMessageContaining("127.0.0.1:" + proxy.port());
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(30);
    // The client's metrics: the ping was written and went unanswered, once.
    MetricRegistry m = client.metrics();
    assertThat(EndpointMetricsTest.counter(m, "rpcenv_keepalive_pings_total{result=\"sent\"}"))
        .isPositive();
    assertThat(EndpointMetricsTest.counter(m, "rpcenv_keepalive_pings_total{result=\"missed\"}"))
        .isEqualTo(1);
    proxy.pass();
    assertThat(ref.<String>askSync("after")).isEqualTo("after");
  }

  @Test
  void aSlowButLivePeerIsKeptAliveByPingsLongerThanTheConnectionTimeout() throws Exception {
    server = envs.server("server");
    BlockingQueue<RpcCallContext> held = new LinkedBlockingQueue<>();
    server.setupEndpoint("slow", Endpoints.replying((m, ctx) -> held.add(ctx)));
    proxy = resources.add(TcpProxy.start("127.0.0.1", server.address().port()));
    RpcEnv client =
        envs.client("client", TestEnvs.conf().set("spark.rpc.io.connectionTimeout", "400ms"));
    RpcEndpointRef ref = client.setupEndpointRef(new RpcAddress("127.0.0.1", proxy.port()), "slow");
    CompletableFuture<String> ask = ref.ask("take your time");
    RpcCallContext context = held.poll(20, TimeUnit.SECONDS);
    int before = proxy.recorded(TcpProxy.Direction.TO_TARGET).length;
    // Wait until the client has pinged at least four times (5 bytes each): longer than the timeout.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> proxy.recorded(TcpProxy.Direction.TO_TARGET).length - before >= 4 * 5);
    context.reply("done");
    assertThat(ask.get(20, TimeUnit.SECONDS)).isEqualTo("done");
    assertThat(proxy.acceptTimes()).hasSize(1); // never reconnected
  }

  @Test
  void withoutKeepalivePingsAQuietConnectionWithAnAskOutstandingIsDeclaredDeadAsInSpark()
      throws Exception {
    server = envs.server("server");
    server.setupEndpoint("silent", Endpoints.replying((m, ctx) -> {}));
    proxy = resources.add(TcpProxy.start("127.0.0.1", server.address().port()));
    RpcEnv client =
        envs.client(
            "client",
            TestEnvs.conf()
                .set("spark.rpc.askTimeout", "120s")
                .set("spark.rpc.io.connectionTimeout", "500ms")
                .set("spark.rpc.io.keepalive", "false"));
    RpcEndpointRef ref =
        client.setupEndpointRef(new RpcAddress("127.0.0.1", proxy.port()), "silent");
    int before = proxy.recorded(TcpProxy.Direction.TO_TARGET).length;
    CompletableFuture<Object> ask = ref.ask("anyone?");
    assertThat(failureOf(ask))
        .isInstanceOf(RpcConnectionException.class)
        .hasMessageContaining("spark.rpc.io.connectionTimeout")
        .hasMessageNotContaining("ping");
    byte[] sent = proxy.recorded(TcpProxy.Direction.TO_TARGET);
    assertThat(sent.length - before).as("only the ask was sent, no ping").isGreaterThan(5);
    assertThat(containsPing(sent, before)).isFalse();
  }

  /** Whether a PING frame (length 1, type 8) appears in {@code bytes} from {@code from} on. */
  private static boolean containsPing(byte[] bytes, int from) {
    for (int i = from; i + 5 <= bytes.length; i++) {
      if (bytes[i] == 0
          && bytes[i + 1] == 0
          && bytes[i + 2] == 0
          && bytes[i + 3] == 1
          && bytes[i + 4] == 8) {
        return true;
      }
    }
    return false;
  }
}
