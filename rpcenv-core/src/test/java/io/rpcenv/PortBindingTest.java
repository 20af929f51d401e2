package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rpcenv.testkit.Resources;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PortBindingTest {
  @RegisterExtension final Resources resources = new Resources();

  /** A free port p such that p+1 is free as well (best effort; both are checked by binding). */
  private static ServerSocket occupyPortWithFreeNeighbour() throws Exception {
    for (int i = 0; i < 50; i++) {
      ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
      int p = s.getLocalPort();
      if (p < 65535) {
        try (ServerSocket probe = new ServerSocket(p + 1, 50, InetAddress.getByName("127.0.0.1"))) {
          return s;
        } catch (Exception taken) {
          // try another
        }
      }
      s.close();
    }
    throw new AssertionError("no free pair of ports");
  }

  @Test
  void portZeroPicksAFreePortAndTheAddressReportsIt() {
    RpcEnv env =
        resources.add(RpcEnv.create(RpcEnvConfig.builder("env").conf(TestEnvs.conf()).build()));
    assertThat(env.address().host()).isEqualTo("127.0.0.1");
    assertThat(env.address().port()).isPositive();
  }

  @Test
  void aTakenFixedPortIsRetriedUpward() throws Exception {
    try (ServerSocket taken = occupyPortWithFreeNeighbour()) {
      int port = taken.getLocalPort();
      RpcEnv env =
          resources.add(
              RpcEnv.create(RpcEnvConfig.builder("env").port(port).conf(TestEnvs.conf()).build()));
      assertThat(env.address().port()).isEqualTo(port + 1);
    }
  }

  @Test
  void whenRetriesRunOutTheErrorNamesThePortAndTheSetting() throws Exception {
    try (ServerSocket taken = occupyPortWithFreeNeighbour()) {
      int port = taken.getLocalPort();
      RpcConf conf = TestEnvs.conf().set("spark.port.maxRetries", "0");
      assertThatThrownBy(
              () -> RpcEnv.create(RpcEnvConfig.builder("busy").port(port).conf(conf).build()))
          .isInstanceOf(RpcException.class)
          .hasMessageContaining("RpcEnv 'busy'")
          .hasMessageContaining("127.0.0.1:" + port)
          .hasMessageContaining("spark.port.maxRetries");
    }
  }

  @Test
  void anAddressThatIsNotLocalFailsAtOnceWithoutRetrying() {
    assertThatThrownBy(
            () ->
                RpcEnv.create(
                    RpcEnvConfig.builder("env")
                        .bindAddress("192.0.2.1")
                        .conf(TestEnvs.conf())
                        .build()))
        .isInstanceOf(RpcException.class)
        .hasMessageContaining("cannot listen on 192.0.2.1")
        .hasMessageContaining("bind address");
  }

  @Test
  void portsBelow1024AreRefused() {
    assertThatThrownBy(
            () -> RpcEnv.create(RpcEnvConfig.builder("env").port(80).conf(TestEnvs.conf()).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between 1024 and 65535");
  }

  @Test
  void theAdvertisedAddressIsReportedWithTheBoundPort() {
    RpcEnv env =
        resources.add(
            RpcEnv.create(
                RpcEnvConfig.builder("env")
                    .bindAddress("127.0.0.1")
                    .advertiseAddress("advertised.example")
                    .conf(TestEnvs.conf())
                    .build()));
    assertThat(env.address().host()).isEqualTo("advertised.example");
    assertThat(env.address().port()).isPositive();
  }
}
