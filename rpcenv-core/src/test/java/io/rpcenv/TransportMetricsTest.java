package io.rpcenv;

import static io.rpcenv.EndpointMetricsTest.counter;
import static io.rpcenv.EndpointMetricsTest.gauge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.example.untrusted.Tripwire;
import io.rpcenv.testkit.Resources;
import io.rpcenv.testkit.TcpProxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The env-wide figures: connections open, and each kind of refusal, counted once. */
class TransportMetricsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  @Test
  void connectionsAreCountedByDirectionWhileOpen() {
    RpcEnv server = envs.server("server");
    server.setupEndpoint("echo", new EndpointMetricsTest.Echo());
    RpcEnv client = envs.client("client");
    client.setupEndpointRef(server.address(), "echo").askSync("hi");

    assertThat(gauge(client.metrics(), "rpcenv_connections_open{direction=\"out\",tls=\"false\"}"))
        .isEqualTo(1);
    assertThat(gauge(client.metrics(), "rpcenv_connections_open{direction=\"in\",tls=\"false\"}"))
        .isZero();
    await()
        .atMost(WAIT)
        .until(
            () ->
                gauge(server.metrics(), "rpcenv_connections_open{direction=\"in\",tls=\"false\"}")
                    == 1);

    client.close();
    await()
        .atMost(WAIT)
        .until(
            () ->
                gauge(server.metrics(), "rpcenv_connections_open{direction=\"in\",tls=\"false\"}")
                    == 0);
  }

  @Test
  void aClientWithoutTheSecretIsCountedAsAnAuthenticationRefusal() {
    RpcEnv server = envs.server("server", AuthenticationTest.secret("a secret of sixteen+ chars"));
    RpcEnv client = envs.client("client");

    assertThatThrownBy(() -> client.setupEndpointRef(server.address(), "echo"))
        .isInstanceOf(RpcAuthenticationException.class);
    await()
        .atMost(WAIT)
        .until(
            () ->
                counter(
                        server.metrics(),
                        "rpcenv_handshakes_refused_total{reason=\"authentication\"}")
                    == 1);
    assertThat(counter(server.metrics(), "rpcenv_handshakes_refused_total{reason=\"protocol\"}"))
        .isZero();
  }

  @Test
  void aFrameOverTheLimitAndAMessageTheFilterRefusesAreCounted() {
    RpcEnv server = envs.server("server", TestEnvs.conf().set("spark.rpc.message.maxSize", "64k"));
    server.setupEndpoint("echo", new EndpointMetricsTest.Echo());
    RpcEnv client = envs.client("client", TestEnvs.conf().set("spark.rpc.message.maxSize", "4m"));
    RpcEndpointRef echo = client.setupEndpointRef(server.address(), "echo");

    assertThatThrownBy(() -> echo.askSync(new Tripwire("refused")))
        .isInstanceOf(RpcSerializationException.class);
    await()
        .atMost(WAIT)
        .until(
            () ->
                counter(server.metrics(), "rpcenv_frames_refused_total{reason=\"undeliverable\"}")
                    == 1);

    echo.send(new byte[1 << 20]);
    await()
        .atMost(WAIT)
        .until(
            () ->
                counter(server.metrics(), "rpcenv_frames_refused_total{reason=\"too_large\"}")
                    == 1);
  }

  @Test
  void asksOverTheOutstandingLimitAreCountedAsBackpressure() {
    RpcEnv server = envs.server("server");
    server.setupEndpoint("silent", new AskMetricsTest.Silent());
    RpcEnv client =
        envs.client("client", TestEnvs.conf().set("spark.rpc.io.maxOutstandingAsks", "1"));
    RpcEndpointRef silent = client.setupEndpointRef(server.address(), "silent");
    silent.ask("first");

    assertThatThrownBy(() -> silent.askSync("second")).isInstanceOf(RpcBackpressureException.class);
    assertThat(counter(client.metrics(), "rpcenv_backpressure_rejections_total")).isEqualTo(1);
  }

  @Test
  void lookupsAndTheirFailuresAreCounted() {
    RpcEnv server = envs.server("server");
    server.setupEndpoint("echo", new EndpointMetricsTest.Echo());
    RpcEnv client = envs.client("client");
    client.setupEndpointRef(server.address(), "echo");
    assertThatThrownBy(() -> client.setupEndpointRef(server.address(), "nobody"))
        .isInstanceOf(RpcEndpointNotFoundException.class);

    await().atMost(WAIT).until(() -> counter(client.metrics(), "rpcenv_lookups_total") == 2);
    assertThat(counter(client.metrics(), "rpcenv_lookup_failures_total")).isEqualTo(1);
  }

  @Test
  void framesAndBytesAreCountedBothWaysAndKeptWhenTheConnectionCloses() {
    RpcEnv server = envs.server("server");
    server.setupEndpoint("echo", new EndpointMetricsTest.Echo());
    RpcEnv client = envs.client("client");
    RpcEndpointRef echo = client.setupEndpointRef(server.address(), "echo");
    for (int i = 0; i < 50; i++) {
      echo.askSync(new byte[1000]);
    }
    String framesIn = "rpcenv_frames_total{direction=\"in\"}";
    String bytesIn = "rpcenv_bytes_total{direction=\"in\"}";

    assertThat(counter(client.metrics(), "rpcenv_frames_total{direction=\"out\"}"))
        .isGreaterThanOrEqualTo(50);
    assertThat(counter(client.metrics(), "rpcenv_bytes_total{direction=\"out\"}"))
        .isGreaterThanOrEqualTo(50_000);
    assertThat(counter(client.metrics(), bytesIn)).isGreaterThanOrEqualTo(50_000);
    long read = counter(server.metrics(), framesIn);
    assertThat(read).isGreaterThanOrEqualTo(50);

    client.close();
    await()
        .atMost(WAIT)
        .until(
            () ->
                gauge(server.metrics(), "rpcenv_connections_open{direction=\"in\",tls=\"false\"}")
                    == 0);
    assertThat(counter(server.metrics(), framesIn)).isGreaterThanOrEqualTo(read);
    assertThat(counter(server.metrics(), bytesIn)).isGreaterThanOrEqualTo(50_000);
  }

  @Test
  void asksOutstandingAreShownPerPeerWhileTheConnectionIsOpen() {
    RpcEnv server = envs.server("server");
    server.setupEndpoint("silent", new AskMetricsTest.Silent());
    RpcEnv client = envs.client("client");
    RpcEndpointRef silent = client.setupEndpointRef(server.address(), "silent");
    for (int i = 0; i < 3; i++) {
      silent.ask(i);
    }
    String peer =
        "rpcenv_peer_asks_outstanding{peer=\""
            + server.address().hostPort()
            + "\",direction=\"out\"}";
    await().atMost(WAIT).until(() -> gauge(client.metrics(), peer) == 3);

    server.shutdown();
    await().atMost(WAIT).until(() -> !client.metrics().getGauges().containsKey(peer));
  }

  @Test
  void outboxBytesRiseWhileThePeerStopsReadingAndFallWhenItReadsAgain() throws Exception {
    RpcEnv server = envs.server("server");
    server.setupEndpoint("sink", new EndpointMetricsTest.Echo());
    TcpProxy proxy =
        resources.add(TcpProxy.startWithoutRecording("127.0.0.1", server.address().port()));
    RpcEnv client = envs.client("client");
    RpcAddress through = new RpcAddress("127.0.0.1", proxy.port());
    RpcEndpointRef sink = client.setupEndpointRef(through, "sink");
    String outbox =
        "rpcenv_peer_outbox_bytes{peer=\"" + through.hostPort() + "\",direction=\"out\"}";
    sink.askSync("connected");
    assertThat(gauge(client.metrics(), outbox)).isZero();

    proxy.stall(TcpProxy.Direction.TO_TARGET);
    // Far more than the socket buffers on both sides of the proxy hold.
    for (int i = 0; i < 64; i++) {
      sink.send(new byte[1 << 20]);
    }
    await().atMost(WAIT).until(() -> gauge(client.metrics(), outbox) > 8L << 20);

    proxy.pass();
    await().atMost(WAIT).until(() -> gauge(client.metrics(), outbox) == 0);
  }

  @Test
  void aConnectionThatNeverSaysHelloIsCountedAsHandshakingUntilItCloses() throws Exception {
    RpcEnv server = envs.server("server");
    String handshaking = "rpcenv_connections_handshaking{direction=\"in\"}";
    assertThat(gauge(server.metrics(), handshaking)).isZero();
    try (java.net.Socket silent = new java.net.Socket("127.0.0.1", server.address().port())) {
      await().atMost(WAIT).until(() -> gauge(server.metrics(), handshaking) == 1);
      assertThat(gauge(server.metrics(), "rpcenv_connections_open{direction=\"in\",tls=\"false\"}"))
          .isEqualTo(1);
    }
    await().atMost(WAIT).until(() -> gauge(server.metrics(), handshaking) == 0);
  }
}
