package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rpcenv.internal.TestAccessBridge;
import io.rpcenv.testkit.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An endpoint's window counts bytes as well as messages (spark.rpc.io.maxInflightBytes): what the
 * messages in progress at one endpoint weigh is bounded whatever their size, a message larger than
 * the window still passes alone, and a peer that writes beyond the byte window loses its
 * connection.
 */
class ByteWindowTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  /** A 1 KiB byte[] body weighs 1,024 bytes plus the 128 a message costs to hold. */
  private static final int KIB_WEIGHT = 1024 + 128;

  @Test
  void anEndpointHasNoMoreInProgressThanItsByteWindowHoldsWhileOtherEndpointsFlow()
      throws Exception {
    RpcEnv server =
        envs.server("server", TestEnvs.conf().set("spark.rpc.io.maxInflightBytes", "8k"));
    BlockingQueue<RpcCallContext> parked = new LinkedBlockingQueue<>();
    server.setupEndpoint("parking", Endpoints.replying((m, ctx) -> parked.add(ctx)));
    server.setupEndpoint("echo", Endpoints.echo());
    RpcEnv client = envs.client("client");
    RpcEndpointRef parking = client.setupEndpointRef(server.address(), "parking");
    RpcEndpointRef echo = client.setupEndpointRef(server.address(), "echo");
    List<CompletableFuture<Object>> asks = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      asks.add(parking.ask(new byte[1024]));
    }
    int fits = 8192 / KIB_WEIGHT; // 7: the eighth would take the window to 9,216 bytes
    await().atMost(Duration.ofSeconds(20)).until(() -> parked.size() == fits);
    for (int i = 0; i < 100; i++) { // the same connection carries asks to another endpoint
      assertThat(echo.<Object>askSync("echo " + i)).isEqualTo("echo " + i);
    }
    assertThat(parked).as("no ask beyond the byte window was written").hasSize(fits);
    for (int answered = 0; answered < 50; answered++) {
      RpcCallContext next = parked.poll(20, TimeUnit.SECONDS);
      assertThat(next).as("ask %d arrived once credit came back", answered).isNotNull();
      next.reply("done");
    }
    for (CompletableFuture<Object> ask : asks) {
      assertThat(ask.get(20, TimeUnit.SECONDS)).isEqualTo("done");
    }
  }

  @Test
  void aMessageLargerThanTheByteWindowPassesAndTheNextWaitsForIt() throws Exception {
    RpcEnv server =
        envs.server("server", TestEnvs.conf().set("spark.rpc.io.maxInflightBytes", "4k"));
    BlockingQueue<RpcCallContext> parked = new LinkedBlockingQueue<>();
    server.setupEndpoint("parking", Endpoints.replying((m, ctx) -> parked.add(ctx)));
    RpcEnv client = envs.client("client");
    RpcEndpointRef parking = client.setupEndpointRef(server.address(), "parking");
    List<CompletableFuture<Object>> asks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      asks.add(parking.ask(new byte[64 * 1024]));
    }
    for (int i = 0; i < 5; i++) {
      RpcCallContext next = parked.poll(20, TimeUnit.SECONDS);
      assertThat(next).as("64 KiB ask %d passed a 4 KiB window", i).isNotNull();
      // while it is in progress, nothing else to the endpoint is written
      assertThat(TestAccessBridge.connections(server)).hasSize(1);
      assertThat(parked).isEmpty();
      next.reply(i);
      assertThat(asks.get(i).get(20, TimeUnit.SECONDS)).isEqualTo(i);
    }
  }

  @Test
  void messagesOfEverySizeBeyondTheByteWindowAllArriveInOrderOverOneConnection() throws Exception {
    RpcEnv server =
        envs.server("server", TestEnvs.conf().set("spark.rpc.io.maxInflightBytes", "2k"));
    List<Integer> received = Collections.synchronizedList(new ArrayList<>());
    class InOrder extends RpcEndpoint implements ThreadSafeRpcEndpoint {
      @Override
      public void receive(Object message) {
        received.add(((Sized) message).seq());
      }

      @Override
      public void receiveAndReply(Object message, RpcCallContext context) {
        receive(message);
        context.reply(((Sized) message).seq());
      }
    }
    server.setupEndpoint("slow", new InOrder());
    RpcEnv client = envs.client("client");
    RpcEndpointRef slow = client.setupEndpointRef(server.address(), "slow");
    Random random = new Random(17);
    List<CompletableFuture<Object>> asks = new ArrayList<>();
    int n = 2000;
    for (int i = 0; i < n; i++) {
      Sized m = new Sized(i, new byte[random.nextInt(3000)]);
      if (i % 3 == 0) {
        asks.add(slow.ask(m)); // requests carry 8 bytes more header than one-way messages
      } else {
        slow.send(m);
      }
    }
    for (CompletableFuture<Object> ask : asks) {
      ask.get(30, TimeUnit.SECONDS);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == n);
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      expected.add(i);
    }
    assertThat(received).isEqualTo(expected);
    assertThat(TestAccessBridge.connections(server))
        .as("no protocol error: sender and receiver weigh every message alike")
        .hasSize(1);
  }

  @Test
  void aPeerThatWritesBeyondTheByteWindowLosesItsConnectionWithAReason() throws Exception {
    RpcEnv server =
        envs.server("server", TestEnvs.conf().set("spark.rpc.io.maxInflightBytes", "4k"));
    CountDownLatch release = new CountDownLatch(1);
    class Stuck extends RpcEndpoint implements IsolatedRpcEndpoint {
      @Override
      public void receive(Object message) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    server.setupEndpoint("stuck", new Stuck());
    try (RawConnection raw = new RawConnection(server.address().port())) {
      raw.plainHandshake();
      raw.oneWay(
          "stuck", new byte[4096]); // passes although it weighs more than 4 KiB: nothing else
      raw.oneWay("stuck", new byte[16]); // the first is still in progress: beyond the window
      assertThat(raw.closeReason())
          .contains("sent more messages to endpoint 'stuck' than its window allows")
          .contains("spark.rpc.io.maxInflightBytes is 4096");
    } finally {
      release.countDown();
    }
  }

  /** A message of a chosen size, numbered to check the order. */
  record Sized(int seq, byte[] padding) implements java.io.Serializable {}
}
