package io.rpcenv.spark.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rpcenv.RpcEnv;
import io.rpcenv.TestEnvs;
import io.rpcenv.plugin.PluginException;
import io.rpcenv.testkit.Resources;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DriverJoinRefTest {
  @RegisterExtension final Resources resources = new Resources();
  private final TestEnvs envs = new TestEnvs(resources);

  /** A port on 127.0.0.1 that nothing listens on any more. */
  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void anUnreachableDriverIsReportedWithItsUrlAndTheSettingsToCheck() throws IOException {
    String url = "spark://127.0.0.1:" + closedPort();
    RpcEnv executor = envs.client("executor");

    assertThatThrownBy(() -> DriverJoinRef.lookup(executor, url, "7"))
        .isInstanceOf(PluginException.class)
        .hasMessageContaining(
            "rpcenv-spark on executor 7 cannot reach the driver's rpcenv env at " + url)
        .hasMessageContaining("spark.rpcenv.port")
        .hasMessageContaining("spark.driver.host")
        .hasMessageContaining("spark.authenticate and spark.ssl.rpc.enabled");
  }

  @Test
  void aMalformedDriverUrlIsReportedTheSameWay() {
    RpcEnv executor = envs.client("executor");

    assertThatThrownBy(() -> DriverJoinRef.lookup(executor, "http://nowhere", "7"))
        .isInstanceOf(PluginException.class)
        .hasMessageContaining("cannot reach the driver's rpcenv env at http://nowhere");
  }

  @Test
  void aReachableDriverGivesItsJoinEndpoint() {
    RpcEnv driver = envs.server("driver");
    driver.setupEndpoint(JoinEndpoint.NAME, new JoinEndpoint(new SparkExecutors()));

    assertThat(
            DriverJoinRef.lookup(envs.client("executor"), driver.address().toSparkURL(), "7")
                .address())
        .isEqualTo(driver.address());
  }
}
