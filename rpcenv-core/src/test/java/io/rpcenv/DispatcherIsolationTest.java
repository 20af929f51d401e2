package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rpcenv.testkit.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On an env with two dispatcher threads, an endpoint that blocks forever and one that throws (even
 * {@link StackOverflowError}) on every message do not keep other endpoints, lookups or a
 * heartbeat-style endpoint from answering.
 */
class DispatcherIsolationTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  static final class Heartbeats extends RpcEndpoint implements ThreadSafeRpcEndpoint {
    final AtomicInteger beats = new AtomicInteger();

    @Override
    public void receiveAndReply(Object message, RpcCallContext context) {
      context.reply(beats.incrementAndGet());
    }
  }

  private static int recurse(int n) {
    return recurse(n + 1) + 1;
  }

  @Test
  void blockedAndThrowingEndpointsDoNotStopTheOthers() throws Exception {
    RpcEnv server =
        envs.server("server", TestEnvs.conf().set("spark.rpc.netty.dispatcher.numThreads", "2"));
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger blocked = new AtomicInteger();
    server.setupEndpoint(
        "blocker",
        Endpoints.receiving(
            m -> {
              blocked.incrementAndGet();
              try {
                release.await(); // blocks "forever": until the test ends
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }));
    server.setupEndpoint(
        "thrower",
        Endpoints.replying(
            (m, ctx) -> {
              if ((Integer) m % 2 == 0) {
                recurse(0);
              }
              throw new IllegalStateException("always fails: " + m);
            }));
    server.setupEndpoint("echo", Endpoints.echo());
    server.setupEndpoint("heartbeat", new Heartbeats());
    try {
      RpcEnv client = envs.client("client");
      RpcEndpointRef blocker = client.setupEndpointRef(server.address(), "blocker");
      for (int i = 0; i < 10; i++) {
        blocker.send("block " + i); // enough to occupy every thread it is allowed
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> blocked.get() >= 1);
      RpcEndpointRef thrower = client.setupEndpointRef(server.address(), "thrower");
      List<CompletableFuture<Object>> throws_ = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        throws_.add(thrower.ask(i));
      }
      for (int i = 0; i < 20; i++) {
        int n = i;
        assertThatThrownBy(() -> throws_.get(n).get(20, TimeUnit.SECONDS))
            .cause()
            .isInstanceOf(RpcRemoteException.class)
            .hasCauseInstanceOf(
                n % 2 == 0 ? StackOverflowError.class : IllegalStateException.class);
      }
      RpcEndpointRef echo =
          envs.client("late-comer").setupEndpointRef(server.address(), "echo"); // a lookup
      RpcEndpointRef heartbeat = client.setupEndpointRef(server.address(), "heartbeat");
      for (int i = 0; i < 50; i++) {
        assertThat(echo.<Integer>askSync(i)).isEqualTo(i);
        assertThat(heartbeat.<Integer>askSync("beat")).isEqualTo(i + 1);
      }
      assertThat(blocked.get()).as("the blocker holds one thread, never both").isEqualTo(1);
    } finally {
      release.countDown();
    }
  }
}
