package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;

import io.rpcenv.testkit.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class NetworkEventsTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  @Test
  void aServerSeesAServerModePeerConnectAndDisconnectByItsListenAddress() throws Exception {
    RpcEnv server = envs.server("server");
    Endpoints.Recording e = new Endpoints.Recording();
    server.setupEndpoint("watcher", e);
    RpcEnv peer =
        resources.add(RpcEnv.create(RpcEnvConfig.builder("peer").conf(TestEnvs.conf()).build()));
    peer.setupEndpointRef(server.address(), "watcher");
    List<String> connected = new ArrayList<>();
    connected.add(e.next("connected:"));
    connected.add(e.next("connected:"));
    assertThat(connected)
        .contains("connected:" + peer.address()); // plus the socket address, as Spark does
    RpcAddress peerAddress = peer.address();
    peer.close();
    List<String> disconnected = new ArrayList<>();
    disconnected.add(e.next("disconnected:"));
    disconnected.add(e.next("disconnected:"));
    assertThat(disconnected).contains("disconnected:" + peerAddress);
  }

  @Test
  void aServerSeesAClientModePeerByItsSocketAddress() throws Exception {
    RpcEnv server = envs.server("server");
    Endpoints.Recording e = new Endpoints.Recording();
    server.setupEndpoint("watcher", e);
    RpcEnv client =
        resources.add(
            RpcEnv.create(
                RpcEnvConfig.builder("client").conf(TestEnvs.conf()).clientMode(true).build()));
    client.setupEndpointRef(server.address(), "watcher");
    String connected = e.next("connected:");
    assertThat(connected).startsWith("connected:127.0.0.1:");
    client.close();
    assertThat(e.next("disconnected:")).isEqualTo(connected.replace("connected:", "disconnected:"));
  }

  @Test
  void theConnectingSideSeesTheServerAddress() throws Exception {
    RpcEnv server = envs.server("server");
    server.setupEndpoint("echo", Endpoints.echo());
    RpcEnv client = envs.client("client");
    Endpoints.Recording e = new Endpoints.Recording();
    client.setupEndpoint("watcher", e);
    client.setupEndpointRef(server.address(), "echo");
    assertThat(e.next("connected:")).isEqualTo("connected:" + server.address());
  }

  @Test
  void ownShutdownDeliversNoDisconnectEvents() throws Exception {
    RpcEnv server = envs.server("server");
    server.setupEndpoint("echo", Endpoints.echo());
    RpcEnv client =
        resources.add(
            RpcEnv.create(
                RpcEnvConfig.builder("client").conf(TestEnvs.conf()).clientMode(true).build()));
    Endpoints.Recording e = new Endpoints.Recording();
    client.setupEndpoint("watcher", e);
    client.setupEndpointRef(server.address(), "echo");
    e.next("connected:");
    client.close();
    List<String> after = new ArrayList<>(e.events);
    assertThat(after).containsExactly("onStop");
  }

  @Test
  void aProtocolViolationAfterTheHandshakeIsANetworkErrorForEndpoints() throws Exception {
    RpcEnv server = envs.server("server");
    Endpoints.Recording e = new Endpoints.Recording();
    server.setupEndpoint("watcher", e);
    try (RawConnection raw = new RawConnection(server.address().port())) {
      raw.plainHandshake();
      raw.frame((byte) 99, new byte[0]); // no such frame type
      assertThat(e.next("networkError:")).startsWith("networkError:127.0.0.1:");
      assertThat(raw.readsEof(Duration.ofSeconds(20))).isTrue();
    }
  }
}
