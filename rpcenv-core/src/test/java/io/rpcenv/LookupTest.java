package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rpcenv.testkit.Resources;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LookupTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  @Test
  void lookupByUriAndByAddressFindsTheEndpoint() {
    RpcEnv server = envs.server("server");
    server.setupEndpoint("echo", Endpoints.echo());
    RpcEnv client = envs.client("client");
    String uri = "spark://echo@" + server.address().hostPort();
    RpcEndpointRef byUri = client.setupEndpointRefByURI(uri);
    RpcEndpointRef byAddress = client.setupEndpointRef(server.address(), "echo");
    assertThat(byUri).isEqualTo(byAddress);
    assertThat(byUri.endpointAddress().toString()).isEqualTo(uri);
    assertThat(byUri.address()).isEqualTo(server.address());
    assertThat(byUri.name()).isEqualTo("echo");
    assertThat(byUri.<String>askSync("x")).isEqualTo("x");
  }

  @Test
  void lookupInTheOwnEnvWorks() {
    RpcEnv server = envs.server("server");
    RpcEndpointRef local = server.setupEndpoint("echo", Endpoints.echo());
    assertThat(server.setupEndpointRef(server.address(), "echo")).isEqualTo(local);
  }

  @Test
  void aMissingEndpointFailsNamingTheUri() throws Exception {
    RpcEnv server = envs.server("server");
    RpcEnv client = envs.client("client");
    String uri = "spark://nobody@" + server.address().hostPort();
    assertThatThrownBy(() -> client.setupEndpointRefByURI(uri))
        .isInstanceOf(RpcEndpointNotFoundException.class)
        .hasMessage("Cannot find endpoint: " + uri);
    var f = client.asyncSetupEndpointRefByURI(uri);
    assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS))
        .hasCauseInstanceOf(RpcEndpointNotFoundException.class);
  }

  @Test
  void aMalformedUriFailsAtOnceNamingIt() {
    RpcEnv client = envs.client("client");
    assertThatThrownBy(() -> client.asyncSetupEndpointRefByURI("spark://no-port@host"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spark://no-port@host");
  }

  @Test
  void aLookupToAPortWhereNothingListensFailsWithAConnectionErrorAfterTheRetries()
      throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    RpcEnv client =
        envs.client(
            "client",
            TestEnvs.conf().set("spark.rpc.numRetries", "2").set("spark.rpc.retry.wait", "50ms"));
    int p = port;
    assertThatThrownBy(() -> client.setupEndpointRef(new RpcAddress("127.0.0.1", p), "x"))
        .isInstanceOf(RpcConnectionException.class)
        .hasMessageContaining("127.0.0.1:" + port)
        .hasMessageContaining("failed to connect after 3 attempt(s)");
  }

  @Test
  void aLookupThatGetsNoAnswerTimesOutNamingTheLookupSetting() throws Exception {
    // Something that accepts connections but never speaks.
    try (ServerSocket silent = new ServerSocket(0)) {
      List<Socket> accepted = new ArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    accepted.add(silent.accept());
                  }
                } catch (Exception e) {
                  // closed
                }
              });
      acceptor.start();
      RpcEnv client =
          envs.client("client", TestEnvs.conf().set("spark.rpc.lookupTimeout", "400ms"));
      long start = System.nanoTime();
      assertThatThrownBy(
              () ->
                  client.setupEndpointRef(new RpcAddress("127.0.0.1", silent.getLocalPort()), "x"))
          .isInstanceOf(RpcTimeoutException.class)
          .hasMessageContaining("Cannot look up spark://x@127.0.0.1:" + silent.getLocalPort())
          .hasMessageContaining("400 ms")
          .hasMessageEndingWith("This timeout is controlled by spark.rpc.lookupTimeout");
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(390L, 10_000L);
      silent.close();
      acceptor.join();
      for (Socket s : accepted) {
        s.close();
      }
    }
  }
}
