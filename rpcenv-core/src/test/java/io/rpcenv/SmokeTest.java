package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;

import io.rpcenv.testkit.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SmokeTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  @Test
  void askCrossesTwoEnvs() {
    RpcEnv server = envs.server("server");
    server.setupEndpoint("echo", new RpcEndpoint() {
      @Override
      public void receiveAndReply(Object message, RpcCallContext context) {
        context.reply("echo:" + message);
      }
    });
    RpcEnv client = envs.client("client");
    RpcEndpointRef ref = client.setupEndpointRef(server.address(), "echo");
    String reply = ref.askSync("hi");
    assertThat(reply).isEqualTo("echo:hi");
  }
}
