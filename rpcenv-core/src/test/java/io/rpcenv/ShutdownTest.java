package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rpcenv.testkit.Resources;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ShutdownTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  @Test
  void afterShutdownSendAskAndSetupEndpointFailWithEnvStopped() throws Exception {
    RpcEnv server = envs.server("server");
    RpcEndpointRef local = server.setupEndpoint("echo", Endpoints.echo());
    RpcEnv client = envs.client("client");
    RpcEndpointRef remote = client.setupEndpointRef(server.address(), "echo");
    client.shutdown();
    server.shutdown();
    for (RpcEndpointRef ref : new RpcEndpointRef[] {local, remote}) {
      assertThatThrownBy(() -> ref.send("x"))
          .isInstanceOf(RpcEnvStoppedException.class)
          .hasMessageContaining("has been shut down");
      assertThatThrownBy(() -> ref.<String>ask("x").get(20, TimeUnit.SECONDS))
          .hasCauseInstanceOf(RpcEnvStoppedException.class);
      assertThatThrownBy(() -> ref.askSync("x")).isInstanceOf(RpcEnvStoppedException.class);
    }
    assertThatThrownBy(() -> server.setupEndpoint("late", Endpoints.echo()))
        .isInstanceOf(RpcEnvStoppedException.class)
        .hasMessageContaining("RpcEnv 'server'");
    assertThat(server.awaitTermination(Duration.ofSeconds(20))).isTrue();
    assertThat(server.isTerminated()).isTrue();
  }

  @Test
  void shutdownIsIdempotentAndEveryEndpointGetsOnStopOnce() throws Exception {
    RpcEnv env =
        resources.add(RpcEnv.create(RpcEnvConfig.builder("env").conf(TestEnvs.conf()).build()));
    Endpoints.Recording a = new Endpoints.Recording();
    Endpoints.Recording b = new Endpoints.Recording();
    env.setupEndpoint("a", a);
    env.setupEndpoint("b", b);
    env.shutdown();
    env.shutdown();
    env.close();
    assertThat(a.events).containsExactly("onStart", "onStop");
    assertThat(b.events).containsExactly("onStart", "onStop");
  }

  @Test
  void closeEndsEveryThreadOfTheEnv() {
    RpcEnv env =
        resources.add(
            RpcEnv.create(RpcEnvConfig.builder("threads-check").conf(TestEnvs.conf()).build()));
    class Iso extends RpcEndpoint implements IsolatedRpcEndpoint {}
    env.setupEndpoint("iso", new Iso());
    env.setupEndpointRef(env.address(), "iso");
    assertThat(threadsNamed("rpcenv-threads-check-")).isNotEmpty();
    env.close();
    assertThat(threadsNamed("rpcenv-threads-check-")).isEmpty();
  }

  private static java.util.List<String> threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith(prefix))
        .toList();
  }

  @Test
  void asksOutstandingWhenTheAskingEnvShutsDownFailWithEnvStopped() throws Exception {
    RpcEnv server = envs.server("server");
    server.setupEndpoint("silent", Endpoints.replying((m, ctx) -> {}));
    RpcEnv client =
        resources.add(
            RpcEnv.create(
                RpcEnvConfig.builder("client").conf(TestEnvs.conf()).clientMode(true).build()));
    RpcEndpointRef ref = client.setupEndpointRef(server.address(), "silent");
    CompletableFuture<Object> remote = ref.ask("never answered");
    CompletableFuture<Object> local =
        client.setupEndpoint("quiet", Endpoints.replying((m, ctx) -> {})).ask("never answered");
    client.close();
    assertThatThrownBy(() -> remote.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(RpcEnvStoppedException.class);
    assertThatThrownBy(() -> local.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(RpcEnvStoppedException.class);
  }

  @Test
  void asksWaitingOnAPeerThatShutsDownFailSayingSo() throws Exception {
    RpcEnv server = envs.server("server");
    CountDownLatch handling = new CountDownLatch(1);
    server.setupEndpoint("silent", Endpoints.replying((m, ctx) -> handling.countDown()));
    RpcEndpointRef ref = envs.client("client").setupEndpointRef(server.address(), "silent");
    CompletableFuture<Object> waiting = ref.ask("never answered"); // the lookup made the connection
    // Handled and left unanswered: an ask still queued would fail as not handled, with another
    // error.
    assertThat(handling.await(20, TimeUnit.SECONDS)).isTrue();
    server.close();
    assertThatThrownBy(() -> waiting.get(20, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(RpcConnectionException.class)
        .hasMessageContaining(server.address().hostPort())
        .hasMessageContaining("closed it: RpcEnv 'server' is shutting down");
  }

  @Test
  void onStopMaySayGoodbyeToARemotePeerAndTheMessageIsDelivered() throws Exception {
    RpcEnv server = envs.server("server");
    BlockingQueue<Object> got = new LinkedBlockingQueue<>();
    server.setupEndpoint("sink", Endpoints.receiving(got::add));
    RpcEnv client =
        resources.add(
            RpcEnv.create(
                RpcEnvConfig.builder("client").conf(TestEnvs.conf()).clientMode(true).build()));
    RpcEndpointRef sink = client.setupEndpointRef(server.address(), "sink");
    client.setupEndpoint(
        "leaver",
        new RpcEndpoint() {
          @Override
          public void onStop() {
            sink.send("goodbye");
          }
        });
    client.close();
    assertThat(got.poll(20, TimeUnit.SECONDS)).isEqualTo("goodbye");
  }

  @Test
  void messagesSentBeforeShutdownAreFlushed() throws Exception {
    RpcEnv server = envs.server("server");
    BlockingQueue<Object> got = new LinkedBlockingQueue<>();
    class OrderedSink extends RpcEndpoint implements ThreadSafeRpcEndpoint {
      @Override
      public void receive(Object message) {
        got.add(message);
      }
    }
    server.setupEndpoint("sink", new OrderedSink());
    RpcEnv client =
        resources.add(
            RpcEnv.create(
                RpcEnvConfig.builder("client").conf(TestEnvs.conf()).clientMode(true).build()));
    RpcEndpointRef sink = client.setupEndpointRef(server.address(), "sink");
    for (int i = 0; i < 1000; i++) {
      sink.send(i);
    }
    client.close();
    for (int i = 0; i < 1000; i++) {
      assertThat(got.poll(20, TimeUnit.SECONDS)).isEqualTo(i);
    }
  }

  @Test
  void anEndpointMayCloseItsOwnEnvWithoutDeadlock() throws Exception {
    RpcEnv env =
        resources.add(
            RpcEnv.create(RpcEnvConfig.builder("self-closing").conf(TestEnvs.conf()).build()));
    CountDownLatch stopped = new CountDownLatch(1);
    env.setupEndpoint(
            "closer",
            new RpcEndpoint() {
              @Override
              public void receive(Object message) {
                assertThatThrownBy(() -> rpcEnv().awaitTermination())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("would wait for itself");
                rpcEnv().close(); // only starts the shutdown on an env thread
              }

              @Override
              public void onStop() {
                stopped.countDown();
              }
            })
        .send("close");
    assertThat(stopped.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(env.awaitTermination(Duration.ofSeconds(20))).isTrue();
  }

  @Test
  void shutdownGivesUpOnAnEndpointStillBusyAfterTheStopTimeoutAndAlwaysFinishes() throws Exception {
    RpcEnv server =
        envs.server(
            "server",
            TestEnvs.conf()
                .set("spark.rpc.endpointStopTimeout", "500ms")
                .set("spark.rpc.netty.dispatcher.numThreads", "2"));
    Endpoints.Recording other = new Endpoints.Recording();
    BlockedUntilInterrupted stuck = new BlockedUntilInterrupted();
    server.setupEndpoint("blocker", stuck);
    server.setupEndpoint("other", other);
    RpcEnv client = envs.client("client");
    RpcEndpointRef blocker = client.setupEndpointRef(server.address(), "blocker");
    CompletableFuture<Object> first = blocker.ask("block");
    assertThat(stuck.entered.await(20, TimeUnit.SECONDS)).isTrue();
    java.util.List<CompletableFuture<Object>> queued = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      queued.add(
          blocker.ask("queued " + i)); // a plain endpoint on 2 threads takes one message at a time
    }
    // Frames of one connection are delivered in order: once this is answered, the three are queued.
    assertThat(client.setupEndpointRef(server.address(), "other").<String>askSync("after"))
        .isEqualTo("after");
    long start = System.nanoTime();
    server.shutdown();
    assertThat(server.awaitTermination(Duration.ofSeconds(30))).isTrue();
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(ms).as("waited for the stop timeout, then went on").isBetween(450L, 20_000L);
    assertThat(stuck.interrupted.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(stuck.stopped).as("onStop of an abandoned endpoint").isFalse();
    assertThat(other.events).startsWith("onStart").endsWith("onStop");
    for (CompletableFuture<Object> ask : queued) { // told before the connection closes
      assertThatThrownBy(() -> ask.get(20, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(RpcEnvStoppedException.class)
          .hasMessageContaining("endpoint 'blocker'")
          .hasMessageContaining("still busy")
          .hasMessageContaining("spark.rpc.endpointStopTimeout");
    }
    assertThatThrownBy(() -> first.get(20, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(RpcConnectionException.class)
        .hasMessageContaining(server.address().hostPort())
        .hasMessageContaining("RpcEnv 'server' is shutting down");
  }

  @Test
  void anIsolatedEndpointStillBusyAtShutdownIsInterruptedToo() throws Exception {
    RpcEnv env =
        envs.server("server", TestEnvs.conf().set("spark.rpc.endpointStopTimeout", "300ms"));
    class IsolatedStuck extends BlockedUntilInterrupted implements IsolatedRpcEndpoint {}
    IsolatedStuck stuck = new IsolatedStuck();
    env.setupEndpoint("stuck", stuck).send("block");
    assertThat(stuck.entered.await(20, TimeUnit.SECONDS)).isTrue();
    env.shutdown();
    assertThat(env.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(stuck.interrupted.await(20, TimeUnit.SECONDS)).isTrue();
  }

  /** Blocks in any message until its thread is interrupted; records whether onStop ran. */
  static class BlockedUntilInterrupted extends RpcEndpoint {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch interrupted = new CountDownLatch(1);
    volatile boolean stopped;

    @Override
    public void receive(Object message) {
      entered.countDown();
      try {
        new CountDownLatch(1).await(); // never released: only the interrupt ends it
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
    }

    @Override
    public void receiveAndReply(Object message, RpcCallContext context) {
      receive(message);
    }

    @Override
    public void onStop() {
      stopped = true;
    }
  }
}
