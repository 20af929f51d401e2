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
      assertThatThrownBy(() -> ref.send("x")).isInstanceOf(RpcEnvStoppedException.class)
          .hasMessageContaining("has been shut down");
      assertThatThrownBy(() -> ref.<String>ask("x").get(20, TimeUnit.SECONDS))
          .hasCauseInstanceOf(RpcEnvStoppedException.class);
      assertThatThrownBy(() -> ref.askSync("x")).isInstanceOf(RpcEnvStoppedException.class);
    }
    assertThatThrownBy(() -> server.setupEndpoint("late", Endpoints.echo()))
        .isInstanceOf(RpcEnvStoppedException.class).hasMessageContaining("RpcEnv 'server'");
    assertThat(server.awaitTermination(Duration.ofSeconds(20))).isTrue();
    assertThat(server.isTerminated()).isTrue();
  }

  @Test
  void shutdownIsIdempotentAndEveryEndpointGetsOnStopOnce() throws Exception {
    RpcEnv env = RpcEnv.create("env", "127.0.0.1", 0, TestEnvs.conf(), null);
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
    RpcEnv env = RpcEnv.create("threads-check", "127.0.0.1", 0, TestEnvs.conf(), null);
    class Iso extends RpcEndpoint implements IsolatedRpcEndpoint {}
    env.setupEndpoint("iso", new Iso());
    env.setupEndpointRef(env.address(), "iso");
    assertThat(threadsNamed("rpcenv-threads-check-")).isNotEmpty();
    env.close();
    assertThat(threadsNamed("rpcenv-threads-check-")).isEmpty();
  }

  private static java.util.List<String> threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.startsWith(prefix)).toList();
  }

  @Test
  void asksOutstandingWhenTheAskingEnvShutsDownFailWithEnvStopped() throws Exception {
    RpcEnv server = envs.server("server");
    server.setupEndpoint("silent", Endpoints.replying((m, ctx) -> { }));
    RpcEnv client = RpcEnv.create("client", "127.0.0.1", 0, TestEnvs.conf(), null, true);
    RpcEndpointRef ref = client.setupEndpointRef(server.address(), "silent");
    CompletableFuture<Object> remote = ref.ask("never answered");
    CompletableFuture<Object> local = client.setupEndpoint("quiet", Endpoints.replying((m, ctx) -> { }))
        .ask("never answered");
    client.close();
    assertThatThrownBy(() -> remote.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(RpcEnvStoppedException.class);
    assertThatThrownBy(() -> local.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(RpcEnvStoppedException.class);
  }

  @Test
  void onStopMaySayGoodbyeToARemotePeerAndTheMessageIsDelivered() throws Exception {
    RpcEnv server = envs.server("server");
    BlockingQueue<Object> got = new LinkedBlockingQueue<>();
    server.setupEndpoint("sink", Endpoints.receiving(got::add));
    RpcEnv client = RpcEnv.create("client", "127.0.0.1", 0, TestEnvs.conf(), null, true);
    RpcEndpointRef sink = client.setupEndpointRef(server.address(), "sink");
    client.setupEndpoint("leaver", new RpcEndpoint() {
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
    RpcEnv client = RpcEnv.create("client", "127.0.0.1", 0, TestEnvs.conf(), null, true);
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
    RpcEnv env = RpcEnv.create("self-closing", "127.0.0.1", 0, TestEnvs.conf(), null);
    CountDownLatch stopped = new CountDownLatch(1);
    env.setupEndpoint("closer", new RpcEndpoint() {
      @Override
      public void receive(Object message) {
        assertThatThrownBy(() -> rpcEnv().awaitTermination()).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("would wait for itself");
        rpcEnv().close(); // only starts the shutdown on an env thread
      }

      @Override
      public void onStop() {
        stopped.countDown();
      }
    }).send("close");
    assertThat(stopped.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(env.awaitTermination(Duration.ofSeconds(20))).isTrue();
  }
}
