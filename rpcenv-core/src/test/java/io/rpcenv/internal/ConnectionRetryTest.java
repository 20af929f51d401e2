package io.rpcenv.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rpcenv.RpcConf;
import io.rpcenv.RpcEndpoint;
import io.rpcenv.RpcCallContext;
import io.rpcenv.RpcEnv;
import io.rpcenv.RpcAddress;
import io.rpcenv.testkit.Resources;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Connection attempts are retried with back-off, so a peer that starts late is still reached. */
class ConnectionRetryTest {
  @RegisterExtension final Resources resources = new Resources();

  @Test
  void anAskQueuedWhileThePeerIsDownIsDeliveredOnceItListens() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    RpcConf conf = new RpcConf().set("spark.rpc.numRetries", "8").set("spark.rpc.retry.wait", "100ms")
        .set("spark.rpc.askTimeout", "60s");
    NettyRpcEnv client = (NettyRpcEnv) resources.add(RpcEnv.create("client", "127.0.0.1", 0, conf, null, true));
    CompletableFuture<String> reply = client.refTo(new RpcAddress("127.0.0.1", port), "echo").ask("late hello");
    // the first attempt has failed and a retry is pending
    await().atMost(Duration.ofSeconds(20)).until(() -> client.transport().connections().stream()
        .anyMatch(c -> c.connectAttempts() >= 1 && !c.isReady()));
    RpcEnv server = resources.add(RpcEnv.create("server", "127.0.0.1", port, conf, null));
    server.setupEndpoint("echo", new RpcEndpoint() {
      @Override
      public void receiveAndReply(Object message, RpcCallContext context) {
        context.reply(message);
      }
    });
    assertThat(reply.get(30, TimeUnit.SECONDS)).isEqualTo("late hello");
  }
}
