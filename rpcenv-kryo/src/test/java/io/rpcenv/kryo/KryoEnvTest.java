package io.rpcenv.kryo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.kryotest.Allowed;
import com.example.kryotest.Order;
import io.rpcenv.Endpoints;
import io.rpcenv.RpcConf;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcEnv;
import io.rpcenv.RpcException;
import io.rpcenv.TestEnvs;
import io.rpcenv.testkit.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Envs with spark.rpc.serializer=kryo talking over a real connection. */
class KryoEnvTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  static RpcConf conf(String serializer) {
    return TestEnvs.conf()
        .set("spark.rpc.serializer", serializer)
        .set(
            "spark.rpc.serializer.allowList",
            "com.example.kryotest.Allowed,com.example.kryotest.Order,com.example.kryotest.Order$Side");
  }

  static Order order() {
    Order o = new Order();
    o.id = "o";
    o.tags = new ArrayList<>(List.of("a", "b"));
    o.counters = Map.of("k", 1L);
    o.note = new Allowed("n");
    o.side = Order.Side.BUY;
    return o;
  }

  @Test
  void twoKryoEnvsAskWithAPlainClassBothWays() {
    RpcEnv server = envs.server("server", conf("kryo"));
    server.setupEndpoint("echo", Endpoints.echo());
    RpcEnv client = envs.client("client", conf("kryo"));
    RpcEndpointRef echo = client.setupEndpointRef(server.address(), "echo");
    Order back = echo.askSync(order());
    assertThat(back).isEqualTo(order());
    assertThat(echo.<Object>askSync("plain string")).isEqualTo("plain string");
  }

  @Test
  void aJavaEnvAskedWithKryoSaysWhichSettingToChange() {
    RpcEnv server = envs.server("server", conf("java"));
    server.setupEndpoint("echo", Endpoints.echo());
    RpcEnv client = envs.client("client", conf("kryo"));
    RpcEndpointRef echo = client.setupEndpointRef(server.address(), "echo");
    assertThatThrownBy(() -> echo.askSync(order()))
        .isInstanceOf(RpcException.class)
        .hasMessageContaining("spark.rpc.serializer=kryo");
    assertThat(echo.<Object>askSync("still fine")).isEqualTo("still fine");
  }

  @Test
  void anEnvAskingForASerializerThatIsNotThereDoesNotStart() {
    assertThatThrownBy(() -> envs.server("server", conf("fory")))
        .isInstanceOf(RpcException.class)
        .hasMessageContaining("cannot start")
        .hasMessageContaining("spark.rpc.serializer=fory");
  }
}
