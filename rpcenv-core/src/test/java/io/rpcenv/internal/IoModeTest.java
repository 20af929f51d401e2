package io.rpcenv.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rpcenv.Endpoints;
import io.rpcenv.RpcConf;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcEnv;
import io.rpcenv.RpcException;
import io.rpcenv.TestEnvs;
import io.rpcenv.testkit.Resources;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** spark.rpc.io.mode: each transport carries asks, small and large, and they mix across envs. */
class IoModeTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  private static RpcConf mode(String mode) {
    return TestEnvs.conf().set("spark.rpc.io.mode", mode);
  }

  @Test
  void everyModeCarriesAsksToEveryOther() {
    List<String> modes = List.of("nio", "epoll", "io_uring");
    for (String server : modes) {
      RpcEnv s = envs.server("server-" + server, mode(server));
      assertThat(((NettyRpcEnv) s).transport().ioName()).isEqualTo(server);
      s.setupEndpoint("echo", Endpoints.echo());
      for (String client : modes) {
        RpcEnv c = envs.client("client-" + client + "-" + server, mode(client));
        RpcEndpointRef echo = c.setupEndpointRef(s.address(), "echo");
        assertThat(echo.<String>askSync("hi")).as(client + " to " + server).isEqualTo("hi");
        assertThat(echo.<byte[]>askSync(new byte[8 << 20])).hasSize(8 << 20);
      }
    }
  }

  @Test
  void autoIsEpollHereAndAnUnknownModeIsRefusedNamingTheChoices() {
    assertThat(((NettyRpcEnv) envs.server("auto", mode("auto"))).transport().ioName())
        .isEqualTo("epoll");
    assertThatThrownBy(() -> envs.server("bad", mode("kqueue")))
        .isInstanceOf(RpcException.class)
        .hasMessageContaining("spark.rpc.io.mode")
        .hasMessageContaining("must be auto, epoll, io_uring or nio");
  }
}
