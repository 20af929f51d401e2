package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rpcenv.internal.TestAccessBridge;
import io.rpcenv.testkit.Resources;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Queues are bounded: outbox bytes, outstanding asks, and messages in progress per connection. */
class BoundsTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  /**
   * Accepts one connection, answers the handshake like a server-mode env, then never reads again.
   */
  private static Thread deafPeer(ServerSocket listener, List<Socket> keep) {
    Thread t =
        new Thread(
            () -> {
              try {
                Socket s = listener.accept();
                keep.add(s);
                RawConnection.acceptHandshake(
                    new DataInputStream(s.getInputStream()),
                    new DataOutputStream(s.getOutputStream()));
              } catch (Exception e) {
                // the test's own assertions report what went wrong
              }
            },
            "deaf-peer");
    t.start();
    return t;
  }

  @Test
  void sendsToAPeerThatStopsReadingFailOnceTheOutboxIsFull() throws Exception {
    List<Socket> keep = new ArrayList<>();
    try (ServerSocket listener = new ServerSocket()) {
      listener.setReceiveBufferSize(16 * 1024);
      listener.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      Thread peer = deafPeer(listener, keep);
      RpcEnv client =
          envs.client(
              "client",
              TestEnvs.conf()
                  .set("spark.rpc.outbox.maxBytes", "1m")
                  .set("spark.rpc.message.maxSize", "256k")
                  .set("spark.rpc.io.sendBuffer", "16k"));
      RpcEndpointRef ref =
          TestAccessBridge.refWithoutLookup(
              client, new RpcAddress("127.0.0.1", listener.getLocalPort()), "anything");
      RpcBackpressureException refused = null;
      for (int i = 0;
          i < 500 && refused == null;
          i++) { // 500 x 200 KiB: far more than any buffer here
        try {
          ref.send(new byte[200 * 1024]);
        } catch (RpcBackpressureException e) {
          refused = e;
        }
      }
      assertThat(refused).as("no backpressure after 100 MiB").isNotNull();
      assertThat(refused.getMessage())
          .contains("spark.rpc.outbox.maxBytes (1048576 bytes)")
          .contains("127.0.0.1:" + listener.getLocalPort())
          .contains("Nothing was sent");
      peer.join(20_000);
    } finally {
      for (Socket s : keep) {
        s.close();
      }
    }
  }

  @Test
  void asksBeyondTheOutstandingLimitFailAtOnce() throws Exception {
    RpcEnv server = envs.server("server");
    server.setupEndpoint("silent", Endpoints.replying((m, ctx) -> {}));
    RpcEnv client =
        envs.client("client", TestEnvs.conf().set("spark.rpc.io.maxOutstandingAsks", "4"));
    RpcEndpointRef ref = client.setupEndpointRef(server.address(), "silent");
    List<CompletableFuture<Object>> held = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      held.add(ref.ask(i));
    }
    CompletableFuture<Object> fifth = ref.ask(5);
    assertThat(fifth).isCompletedExceptionally();
    assertThatThrownBy(fifth::join)
        .hasCauseInstanceOf(RpcBackpressureException.class)
        .hasMessageContaining("spark.rpc.io.maxOutstandingAsks");
    held.forEach(f -> assertThat(f).isNotDone());
  }

  @Test
  void asksThatTimedOutOrWereAbortedGiveTheirPlaceBackAtOnce() throws Exception {
    RpcEnv server = envs.server("server");
    server.setupEndpoint("silent", Endpoints.replying((m, ctx) -> {}));
    server.setupEndpoint("echo", Endpoints.echo());
    RpcEnv client =
        envs.client("client", TestEnvs.conf().set("spark.rpc.io.maxOutstandingAsks", "4"));
    RpcEndpointRef silent = client.setupEndpointRef(server.address(), "silent");
    RpcEndpointRef echo = client.setupEndpointRef(server.address(), "echo");
    RpcTimeout brief = new RpcTimeout(Duration.ofMillis(200), "spark.rpc.askTimeout");
    for (int round = 0; round < 3; round++) {
      List<CompletableFuture<Object>> timedOut = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        timedOut.add(silent.ask(i, brief));
      }
      List<AbortableRpcFuture<Object>> aborted = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        aborted.add(silent.askAbortable(i, RpcTimeout.INFINITE));
      }
      aborted.forEach(a -> a.abort(new IllegalStateException("not needed")));
      for (CompletableFuture<Object> f : timedOut) {
        assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS))
            .hasCauseInstanceOf(RpcTimeoutException.class);
      }
      // every place is free again the moment the futures have failed: four more asks fit
      List<CompletableFuture<Object>> next = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        next.add(echo.ask("round " + round + " ask " + i));
      }
      for (int i = 0; i < 4; i++) {
        assertThat(next.get(i).get(20, TimeUnit.SECONDS)).isEqualTo("round " + round + " ask " + i);
      }
    }
  }

  @Test
  void aFullEndpointHoldsBackOnlyTheMessagesToItWhileOthersOnTheSameConnectionFlow()
      throws Exception {
    RpcEnv server =
        envs.server("server", TestEnvs.conf().set("spark.rpc.io.maxInflightMessages", "8"));
    BlockingQueue<RpcCallContext> parked = new LinkedBlockingQueue<>();
    server.setupEndpoint("parking", Endpoints.replying((m, ctx) -> parked.add(ctx)));
    server.setupEndpoint("echo", Endpoints.echo());
    RpcEnv client = envs.client("client");
    RpcEndpointRef ref = client.setupEndpointRef(server.address(), "parking");
    RpcEndpointRef echo = client.setupEndpointRef(server.address(), "echo");
    List<CompletableFuture<Object>> asks = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      asks.add(ref.ask(i));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> parked.size() == 8);
    // The parking endpoint's window is full; the same connection still carries asks to another
    // endpoint, while the 42 other asks wait at the sender.
    for (int i = 0; i < 200; i++) {
      assertThat(echo.<Object>askSync("echo " + i)).isEqualTo("echo " + i);
    }
    assertThat(parked).hasSize(8);
    assertThat(TestAccessBridge.connections(server)).hasSize(1);
    // answer everything that arrives; credit flows back and every ask completes
    Thread replier =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < 50; i++) {
                  parked.take().reply("done");
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    replier.start();
    for (CompletableFuture<Object> ask : asks) {
      assertThat(ask.get(20, TimeUnit.SECONDS)).isEqualTo("done");
    }
    replier.join(20_000);
  }

  @Test
  void sendsToAnEndpointThatIsNotKeepingUpFailWithBackpressureOnceWhatIsHeldForItIsFull()
      throws Exception {
    RpcEnv server =
        envs.server("server", TestEnvs.conf().set("spark.rpc.io.maxInflightMessages", "4"));
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    List<Object> received = java.util.Collections.synchronizedList(new ArrayList<>());
    class Stuck extends RpcEndpoint implements IsolatedRpcEndpoint {
      @Override
      public void receive(Object message) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        received.add(message);
      }
    }
    server.setupEndpoint("stuck", new Stuck());
    server.setupEndpoint("echo", Endpoints.echo());
    RpcEnv client =
        envs.client(
            "client",
            TestEnvs.conf()
                .set("spark.rpc.outbox.maxBytes", "1m")
                .set("spark.rpc.message.maxSize", "1"));
    RpcEndpointRef stuck = client.setupEndpointRef(server.address(), "stuck");
    RpcEndpointRef echo = client.setupEndpointRef(server.address(), "echo");
    byte[] kib = new byte[1024];
    int accepted = 0;
    RpcBackpressureException refused = null;
    for (int i = 0; i < 10_000 && refused == null; i++) {
      try {
        stuck.send(kib);
        accepted++;
      } catch (RpcBackpressureException e) {
        refused = e;
      }
    }
    assertThat(refused).isNotNull();
    assertThat(refused.getMessage())
        .contains(
            "Endpoint 'stuck'",
            "is not keeping up",
            "spark.rpc.outbox.maxBytes",
            "spark.rpc.io.maxInflightMessages",
            "Nothing was sent");
    // other endpoints on the connection are not refused
    assertThat(echo.<Object>askSync("still here")).isEqualTo("still here");
    release.countDown();
    int expected = accepted;
    await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == expected);
    stuck.send(kib); // room again
    await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == expected + 1);
  }

  @Test
  void aCallerThatCompletesTheFutureOfAnAskItselfFreesItsPlaceAmongTheOutstandingAsks()
      throws Exception {
    RpcEnv server = envs.server("server");
    BlockingQueue<RpcCallContext> parked = new LinkedBlockingQueue<>();
    server.setupEndpoint("parking", Endpoints.replying((m, ctx) -> parked.add(ctx)));
    RpcEnv client =
        envs.client("client", TestEnvs.conf().set("spark.rpc.io.maxOutstandingAsks", "1"));
    RpcEndpointRef ref = client.setupEndpointRef(server.address(), "parking");
    for (int i = 0; i < 3; i++) {
      CompletableFuture<Object> ask = ref.ask("ask " + i);
      RpcCallContext context = parked.poll(20, TimeUnit.SECONDS);
      assertThat(context).as("ask %d reached the endpoint", i).isNotNull();
      assertThat(ask.complete("mine " + i)).isTrue();
      assertThat(ask.get()).isEqualTo("mine " + i);
      context.reply("too late"); // ignored: the ask no longer waits
    }
    CompletableFuture<Object> last = ref.ask("last");
    assertThatThrownBy(() -> last.obtrudeValue("forced"))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("cannot be overwritten");
    parked.poll(20, TimeUnit.SECONDS).reply("answered");
    assertThat(last.get(20, TimeUnit.SECONDS)).isEqualTo("answered");
  }
}
