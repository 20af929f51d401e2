package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;

import io.rpcenv.testkit.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class NetworkEventsTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  private static String next(Endpoints.Recording e, String prefix) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    List<String> skipped = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      String ev = e.events.poll(1, TimeUnit.SECONDS);
      if (ev != null && ev.startsWith(prefix)) {
        return ev;
      }
      if (ev != null) {
        skipped.add(ev);
      }
    }
    throw new AssertionError("no event starting with " + prefix + "; saw " + skipped);
  }

  @Test
  void aServerSeesAServerModePeerConnectAndDisconnectByItsListenAddress() throws Exception {
    RpcEnv server = envs.server("server");
    Endpoints.Recording e = new Endpoints.Recording();
    server.setupEndpoint("watcher", e);
    RpcEnv peer = RpcEnv.create("peer", "127.0.0.1", 0, TestEnvs.conf(), null);
    peer.setupEndpointRef(server.address(), "watcher");
    List<String> connected = new ArrayList<>();
    connected.add(next(e, "connected:"));
    connected.add(next(e, "connected:"));
    assertThat(connected).contains("connected:" + peer.address()); // plus the socket address, as Spark does
    RpcAddress peerAddress = peer.address();
    peer.close();
    List<String> disconnected = new ArrayList<>();
    disconnected.add(next(e, "disconnected:"));
    disconnected.add(next(e, "disconnected:"));
    assertThat(disconnected).contains("disconnected:" + peerAddress);
  }

  @Test
  void aServerSeesAClientModePeerByItsSocketAddress() throws Exception {
    RpcEnv server = envs.server("server");
    Endpoints.Recording e = new Endpoints.Recording();
    server.setupEndpoint("watcher", e);
    RpcEnv client = RpcEnv.create("client", "127.0.0.1", 0, TestEnvs.conf(), null, true);
    client.setupEndpointRef(server.address(), "watcher");
    String connected = next(e, "connected:");
    assertThat(connected).startsWith("connected:127.0.0.1:");
    client.close();
    assertThat(next(e, "disconnected:")).isEqualTo(connected.replace("connected:", "disconnected:"));
  }

  @Test
  void theConnectingSideSeesTheServerAddress() throws Exception {
    RpcEnv server = envs.server("server");
    server.setupEndpoint("echo", Endpoints.echo());
    RpcEnv client = envs.client("client");
    Endpoints.Recording e = new Endpoints.Recording();
    client.setupEndpoint("watcher", e);
    client.setupEndpointRef(server.address(), "echo");
    assertThat(next(e, "connected:")).isEqualTo("connected:" + server.address());
  }

  @Test
  void ownShutdownDeliversNoDisconnectEvents() throws Exception {
    RpcEnv server = envs.server("server");
    server.setupEndpoint("echo", Endpoints.echo());
    RpcEnv client = RpcEnv.create("client", "127.0.0.1", 0, TestEnvs.conf(), null, true);
    Endpoints.Recording e = new Endpoints.Recording();
    client.setupEndpoint("watcher", e);
    client.setupEndpointRef(server.address(), "echo");
    next(e, "connected:");
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
      assertThat(next(e, "networkError:")).startsWith("networkError:127.0.0.1:");
      assertThat(raw.readsEof(Duration.ofSeconds(20))).isTrue();
    }
  }
}
