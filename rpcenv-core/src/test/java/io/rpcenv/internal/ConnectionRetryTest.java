package io.rpcenv.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rpcenv.RpcAddress;
import io.rpcenv.RpcCallContext;
import io.rpcenv.RpcConf;
import io.rpcenv.RpcEndpoint;
import io.rpcenv.RpcEnv;
import io.rpcenv.RpcEnvConfig;
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
    RpcConf conf =
        new RpcConf()
            .set("spark.rpc.numRetries", "8")
            .set("spark.rpc.retry.wait", "100ms")
            .set("spark.rpc.askTimeout", "60s");
    NettyRpcEnv client =
        (NettyRpcEnv)
            resources.add(
                RpcEnv.create(RpcEnvConfig.builder("client").conf(conf).clientMode(true).build()));
    CompletableFuture<String> reply =
        client.refTo(new RpcAddress("127.0.0.1", port), "echo").ask("late hello");
    // the first attempt has failed and a retry is pending
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                client.transport().connections().stream()
                    .anyMatch(c -> c.connectAttempts() >= 1 && !c.isReady()));
    RpcEnv server =
        resources.add(RpcEnv.create(RpcEnvConfig.builder("server").port(port).conf(conf).build()));
    server.setupEndpoint(
        "echo",
        new RpcEndpoint() {
          @Override
          public void receiveAndReply(Object message, RpcCallContext context) {
            context.reply(message);
          }
        });
    assertThat(reply.get(30, TimeUnit.SECONDS)).isEqualTo("late hello");
  }

  @Test
  void clientsThatLostTheSamePeerAtOnceComeBackSpreadOut() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    RpcConf conf =
        new RpcConf()
            .set("spark.rpc.numRetries", "1")
            .set("spark.rpc.retry.wait", "2s")
            .set("spark.rpc.askTimeout", "60s");
    int n = 20;
    java.util.List<NettyRpcEnv> clients = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      clients.add(
          (NettyRpcEnv)
              resources.add(
                  RpcEnv.create(
                      RpcEnvConfig.builder("client-" + i).conf(conf).clientMode(true).build())));
    }
    java.util.List<CompletableFuture<Object>> asks = new java.util.ArrayList<>();
    for (NettyRpcEnv c : clients) { // all at once, as when a driver goes away under its executors
      asks.add(c.refTo(new RpcAddress("127.0.0.1", port), "echo").ask("hello"));
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                clients.stream()
                    .allMatch(
                        c ->
                            c.transport().connections().stream()
                                .anyMatch(x -> x.connectAttempts() >= 1 && !x.isReady())));
    long firstFailures = System.nanoTime();
    java.util.List<Long> arrivals = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (ServerSocket peer =
        new ServerSocket(port, 100, java.net.InetAddress.getByName("127.0.0.1"))) {
      Thread acceptor =
          new Thread(
              () -> {
                while (!peer.isClosed()) {
                  try (java.net.Socket s = peer.accept()) {
                    arrivals.add(System.nanoTime());
                  } catch (java.io.IOException closed) {
                    return;
                  }
                }
              });
      acceptor.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> arrivals.size() >= n);
      peer.close();
      acceptor.join(10_000);
    }
    java.util.List<Long> ms =
        arrivals.stream()
            .map(t -> TimeUnit.NANOSECONDS.toMillis(t - firstFailures))
            .sorted()
            .toList();
    // Each retry waits between a tenth of 2 s and 2 s, so 20 of them spread over more than a second
    // (a fixed wait with 20% jitter would keep them within 800 ms), and no 300 ms brings a crowd.
    assertThat(ms.get(ms.size() - 1) - ms.get(0))
        .as("spread of arrivals %s ms", ms)
        .isGreaterThanOrEqualTo(1000);
    for (long from : ms) {
      long inWindow = ms.stream().filter(t -> t >= from && t < from + 300).count();
      assertThat(inWindow).as("arrivals within 300 ms of %d: %s", from, ms).isLessThanOrEqualTo(12);
    }
    for (CompletableFuture<Object> ask : asks) {
      assertThat(ask).failsWithin(Duration.ofSeconds(30));
    }
  }
}
