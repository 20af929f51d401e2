package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rpcenv.testkit.Resources;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Inline endpoints run on the I/O thread that read the message, within the usual lifecycle. */
class InlineEndpointTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  static class WhereAmI extends RpcEndpoint implements InlineRpcEndpoint {
    final CountDownLatch startGate = new CountDownLatch(0);
    final BlockingQueue<String> errors = new LinkedBlockingQueue<>();

    @Override
    public void receiveAndReply(Object message, RpcCallContext context) {
      if ("fail".equals(message)) {
        throw new IllegalStateException("inline failure");
      }
      context.reply(Thread.currentThread().getName());
    }

    @Override
    public void onError(Throwable cause) {
      errors.add(cause.getMessage());
    }
  }

  @Test
  void networkMessagesRunOnTheIoThreadAndLocalOnesOnTheDispatcher() {
    RpcEnv server = envs.server("srv");
    RpcEndpointRef local = server.setupEndpoint("where", new WhereAmI());
    RpcEndpointRef remote = envs.client("client").setupEndpointRef(server.address(), "where");
    assertThat(remote.<String>askSync("?")).startsWith("rpcenv-srv-io-");
    assertThat(local.<String>askSync("?")).startsWith("rpcenv-srv-dispatcher-");
  }

  @Test
  void errorsReachTheAskerAndOnError() throws Exception {
    RpcEnv server = envs.server("srv");
    WhereAmI e = new WhereAmI();
    server.setupEndpoint("where", e);
    RpcEndpointRef remote = envs.client("client").setupEndpointRef(server.address(), "where");
    assertThatThrownBy(() -> remote.askSync("fail"))
        .isInstanceOf(RpcRemoteException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(e.errors.poll(20, TimeUnit.SECONDS)).isEqualTo("inline failure");
  }

  @Test
  void messagesArrivingBeforeOnStartReturnsWaitForIt() throws Exception {
    RpcEnv server = envs.server("srv");
    CountDownLatch release = new CountDownLatch(1);
    BlockingQueue<String> order = new LinkedBlockingQueue<>();
    class Slow extends RpcEndpoint implements InlineRpcEndpoint {
      @Override
      public void onStart() {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        order.add("onStart");
      }

      @Override
      public void receiveAndReply(Object message, RpcCallContext context) {
        order.add("ask");
        context.reply("ok");
      }
    }
    server.setupEndpoint("slow", new Slow());
    RpcEnv client = envs.client("client");
    // the lookup works meanwhile (the verifier is a different endpoint); the ask must wait for
    // onStart
    RpcEndpointRef ref = client.setupEndpointRef(server.address(), "slow");
    CompletableFuture<String> reply = ref.ask("early");
    assertThat(order.poll(200, TimeUnit.MILLISECONDS)).isNull();
    release.countDown();
    assertThat(reply.get(20, TimeUnit.SECONDS)).isEqualTo("ok");
    assertThat(order).containsExactly("onStart", "ask");
  }

  @Test
  void anInlineEndpointCannotAlsoBeThreadSafeOrIsolated() {
    RpcEnv server = envs.server("srv");
    class Both extends RpcEndpoint implements InlineRpcEndpoint, ThreadSafeRpcEndpoint {}
    class Iso extends RpcEndpoint implements InlineRpcEndpoint, IsolatedRpcEndpoint {}
    assertThatThrownBy(() -> server.setupEndpoint("both", new Both()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot also be thread-safe or isolated");
    assertThatThrownBy(() -> server.setupEndpoint("iso", new Iso()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().startsWith("rpcenv-srv-iso-"));
  }
}
