package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rpcenv.testkit.Resources;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** spark.rpc.message.maxSize is enforced by the sender, the replier and the receiver. */
class MessageSizeLimitTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  private static RpcConf limit(String size) {
    return TestEnvs.conf().set("spark.rpc.message.maxSize", size);
  }

  @Test
  void aMessageOfExactlyTheLimitPassesAndOneByteMoreFailsAtTheSender() {
    RpcEnv server = envs.server("server", limit("1k"));
    server.setupEndpoint("echo", Endpoints.replying((m, ctx) -> ctx.reply(((byte[]) m).length)));
    RpcEndpointRef ref =
        envs.client("client", limit("1k")).setupEndpointRef(server.address(), "echo");
    assertThat(ref.<Integer>askSync(new byte[1024])).isEqualTo(1024);
    assertThatThrownBy(() -> ref.askSync(new byte[1025]))
        .isInstanceOf(RpcMessageTooLargeException.class)
        .hasMessageContaining("1025 bytes")
        .hasMessageContaining("spark.rpc.message.maxSize (1024 bytes)")
        .hasMessageContaining("spark://echo@");
    assertThatThrownBy(() -> ref.send(new byte[4096]))
        .isInstanceOf(RpcMessageTooLargeException.class);
  }

  @Test
  void aLargeJavaObjectIsMeasuredAsSerialized() {
    RpcEnv server = envs.server("server", limit("1k"));
    server.setupEndpoint("echo", Endpoints.echo());
    RpcEndpointRef ref =
        envs.client("client", limit("1k")).setupEndpointRef(server.address(), "echo");
    java.util.ArrayList<String> big = new java.util.ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      big.add("element number " + i);
    }
    assertThatThrownBy(() -> ref.askSync(big))
        .isInstanceOf(RpcMessageTooLargeException.class)
        .hasMessageContaining("spark.rpc.message.maxSize");
  }

  @Test
  void aReplyOverTheRepliersLimitFailsTheAskAndThrowsToTheReplier() throws Exception {
    RpcEnv server = envs.server("server", limit("1k"));
    BlockingQueue<Throwable> replierSaw = new LinkedBlockingQueue<>();
    server.setupEndpoint(
        "big",
        Endpoints.replying(
            (m, ctx) -> {
              try {
                ctx.reply(new byte[2048]);
              } catch (RpcMessageTooLargeException e) {
                replierSaw.add(e);
              }
            }));
    RpcEndpointRef ref = envs.client("client").setupEndpointRef(server.address(), "big");
    assertThatThrownBy(() -> ref.askSync("x"))
        .isInstanceOf(RpcMessageTooLargeException.class)
        .hasMessageContaining("spark.rpc.message.maxSize");
    assertThat(replierSaw.poll(20, TimeUnit.SECONDS))
        .isInstanceOf(RpcMessageTooLargeException.class);
  }

  @Test
  void aReceiverWithASmallerLimitRefusesTheMessageExactlyAndKeepsTheConnection() {
    RpcEnv server = envs.server("server", limit("1k"));
    server.setupEndpoint("echo", Endpoints.replying((m, ctx) -> ctx.reply("ok")));
    RpcEnv client = envs.client("generous", limit("1m"));
    RpcEndpointRef ref = client.setupEndpointRef(server.address(), "echo");
    assertThat(ref.<String>askSync(new byte[1024])).isEqualTo("ok");
    assertThatThrownBy(() -> ref.askSync(new byte[1025]))
        .isInstanceOf(RpcMessageTooLargeException.class)
        .hasMessageContaining("1025 bytes")
        .hasMessageContaining("spark.rpc.message.maxSize (1024 bytes) of the receiving env");
    assertThat(ref.<String>askSync("same connection")).isEqualTo("ok");
    assertThat(TestAccess.connectionCount(client)).isEqualTo(1);
  }

  @Test
  void aLargeBodyOverTheReceiversLimitIsRefusedExactlyAndKeepsTheConnection() {
    RpcEnv server = envs.server("server", limit("1m"));
    server.setupEndpoint("echo", Endpoints.replying((m, ctx) -> ctx.reply(((byte[]) m).length)));
    RpcEnv client = envs.client("generous", limit("4m"));
    RpcEndpointRef ref = client.setupEndpointRef(server.address(), "echo");
    assertThat(ref.<Integer>askSync(new byte[1 << 20])).isEqualTo(1 << 20);
    assertThatThrownBy(() -> ref.askSync(new byte[(1 << 20) + 1]))
        .isInstanceOf(RpcMessageTooLargeException.class)
        .hasMessageContaining(((1 << 20) + 1) + " bytes")
        .hasMessageContaining("spark.rpc.message.maxSize (1048576 bytes) of the receiving env");
    assertThat(ref.<Integer>askSync(new byte[5])).isEqualTo(5);
    assertThat(TestAccess.connectionCount(client)).isEqualTo(1);
  }

  @Test
  void aLargeReplyOverTheAskersLimitFailsTheAsk() {
    RpcEnv server = envs.server("server", limit("4m"));
    server.setupEndpoint("big", Endpoints.replying((m, ctx) -> ctx.reply(new byte[(1 << 20) + 1])));
    RpcEndpointRef ref =
        envs.client("client", limit("1m")).setupEndpointRef(server.address(), "big");
    assertThatThrownBy(() -> ref.askSync("x"))
        .isInstanceOf(RpcMessageTooLargeException.class)
        .hasMessageContaining(((1 << 20) + 1) + " bytes")
        .hasMessageContaining("spark.rpc.message.maxSize (1048576");
  }

  @Test
  void aReplyOverTheAskersLimitFailsTheAsk() {
    RpcEnv server = envs.server("server", limit("1m"));
    server.setupEndpoint("big", Endpoints.replying((m, ctx) -> ctx.reply(new byte[2048])));
    RpcEndpointRef ref =
        envs.client("client", limit("1k")).setupEndpointRef(server.address(), "big");
    assertThatThrownBy(() -> ref.askSync("x"))
        .isInstanceOf(RpcMessageTooLargeException.class)
        .hasMessageContaining("2048 bytes")
        .hasMessageContaining("spark.rpc.message.maxSize (1024 bytes)");
  }

  @Test
  void aFrameFarOverTheReceiversLimitClosesOnlyThatConnectionAndSaysWhy() {
    RpcEnv server = envs.server("server", limit("1k"));
    server.setupEndpoint("echo", Endpoints.echo());
    RpcEndpointRef generous =
        envs.client("generous", limit("1m")).setupEndpointRef(server.address(), "echo");
    RpcEndpointRef modest = envs.client("modest").setupEndpointRef(server.address(), "echo");
    assertThatThrownBy(() -> generous.askSync(new byte[512 * 1024]))
        .isInstanceOf(RpcConnectionException.class)
        .hasMessageContaining("spark.rpc.message.maxSize");
    assertThat(modest.<String>askSync("others are unaffected")).isEqualTo("others are unaffected");
  }

  @Test
  void anOversizedLengthHeaderIsRejectedBeforeTheBodyIsSent() throws Exception {
    RpcEnv server = envs.server("server", limit("1k"));
    server.setupEndpoint("echo", Endpoints.echo());
    try (RawConnection raw = new RawConnection(server.address().port())) {
      raw.plainHandshake();
      raw.out.writeInt(1 << 30); // announces 1 GiB, sends nothing more
      raw.out.flush();
      assertThat(raw.readsEof(Duration.ofSeconds(20))).isTrue();
    }
    RpcEndpointRef ref = envs.client("client").setupEndpointRef(server.address(), "echo");
    assertThat(ref.<String>askSync("server still up")).isEqualTo("server still up");
  }
}
