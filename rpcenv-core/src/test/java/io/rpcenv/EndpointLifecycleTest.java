package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rpcenv.testkit.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EndpointLifecycleTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  private static List<String> take(Endpoints.Recording e, int n) throws InterruptedException {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String next = e.events.poll(20, TimeUnit.SECONDS);
      assertThat(next).as("event %d of %d (got %s)", i + 1, n, out).isNotNull();
      out.add(next);
    }
    return out;
  }

  @Test
  void setupEndpointReturnsBeforeOnStartAndMessagesSentAtOnceComeAfterIt() throws Exception {
    RpcEnv env = envs.server("env");
    CountDownLatch release = new CountDownLatch(1);
    Endpoints.Recording e =
        new Endpoints.Recording() {
          @Override
          public void onStart() {
            try {
              release.await(); // setupEndpoint must not wait for this
            } catch (InterruptedException ex) {
              Thread.currentThread().interrupt();
            }
            super.onStart();
          }
        };
    RpcEndpointRef ref = env.setupEndpoint("e", e);
    ref.send("m1");
    ref.send("m2");
    assertThat(e.events).isEmpty();
    release.countDown();
    List<String> events = take(e, 3);
    assertThat(events.get(0)).isEqualTo("onStart");
    // a plain endpoint may handle the two concurrently, in either order
    assertThat(events.subList(1, 3)).containsExactlyInAnyOrder("receive:m1", "receive:m2");
  }

  @Test
  void selfIsSetFromOnStartAndNullInOnStop() throws Exception {
    RpcEnv env = envs.server("env");
    Endpoints.Recording e = new Endpoints.Recording();
    RpcEndpointRef ref = env.setupEndpoint("e", e);
    take(e, 1);
    assertThat(e.selfInOnStart).isEqualTo(ref);
    assertThat(e.rpcEnv()).isSameAs(env);
    env.stop(ref);
    assertThat(take(e, 1)).containsExactly("onStop");
    assertThat(e.stopCalled).isTrue();
    assertThat(e.selfInOnStop).isNull();
  }

  @Test
  void onStopRunsLastAfterEveryMessageQueuedBeforeTheStop() throws Exception {
    RpcEnv env = envs.server("env");
    CountDownLatch gate = new CountDownLatch(1);
    Endpoints.Recording e =
        new Endpoints.Recording() {
          @Override
          public void receive(Object message) {
            if ("block".equals(message)) {
              try {
                gate.await();
              } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
              }
            }
            super.receive(message);
          }
        };
    RpcEndpointRef ref = env.setupEndpoint("e", e);
    ref.send("block");
    for (int i = 0; i < 5; i++) {
      ref.send(i);
    }
    env.stop(ref);
    gate.countDown();
    List<String> events = take(e, 8);
    assertThat(events.get(0)).isEqualTo("onStart");
    assertThat(events.get(7)).isEqualTo("onStop");
    assertThat(events.subList(1, 7))
        .containsExactlyInAnyOrder(
            "receive:block", "receive:0", "receive:1", "receive:2", "receive:3", "receive:4");
  }

  @Test
  void stopIsIdempotentAndFreesTheNameAtOnce() throws Exception {
    RpcEnv env = envs.server("env");
    AtomicInteger stops = new AtomicInteger();
    CountDownLatch stopped = new CountDownLatch(1);
    RpcEndpoint e =
        new RpcEndpoint() {
          @Override
          public void onStop() {
            stops.incrementAndGet();
            stopped.countDown();
          }
        };
    RpcEndpointRef ref = env.setupEndpoint("name", e);
    env.stop(ref);
    env.stop(ref);
    e.stop();
    RpcEndpointRef again = env.setupEndpoint("name", Endpoints.echo()); // free at once
    assertThat(stopped.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(again.<String>askSync("new")).isEqualTo("new");
    env.close();
    assertThat(stops.get()).isEqualTo(1);
  }

  @Test
  void aTakenNameOrAnAlreadyRegisteredObjectIsRefused() {
    RpcEnv env = envs.server("env");
    RpcEndpoint e = Endpoints.echo();
    env.setupEndpoint("a", e);
    assertThatThrownBy(() -> env.setupEndpoint("a", Endpoints.echo()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("There is already an RpcEndpoint called a");
    assertThatThrownBy(() -> env.setupEndpoint("b", e))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already registered");
    assertThatThrownBy(() -> new RpcEndpoint() {}.rpcEnv())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void errorsInCallbacksGoToOnErrorAndTheEndpointKeepsWorking() throws Exception {
    RpcEnv env = envs.server("env");
    Endpoints.Recording e =
        new Endpoints.Recording() {
          @Override
          public void onStart() {
            super.onStart();
            throw new IllegalStateException("start failed");
          }

          @Override
          public void receive(Object message) {
            if ("bad".equals(message)) {
              throw new IllegalStateException("receive failed");
            }
            super.receive(message);
          }

          @Override
          public void onStop() {
            super.onStop();
            throw new IllegalStateException("stop failed");
          }
        };
    RpcEndpointRef ref = env.setupEndpoint("e", e);
    ref.send("bad");
    ref.send("good");
    assertThat(take(e, 4))
        .containsExactly("onStart", "error:start failed", "error:receive failed", "receive:good");
    env.stop(ref);
    assertThat(take(e, 2)).containsExactly("onStop", "error:stop failed");
  }

  @Test
  void anAskWhoseHandlerThrowsGoesToTheAskerAndToOnError() throws Exception {
    RpcEnv env = envs.server("env");
    Endpoints.Recording e =
        new Endpoints.Recording() {
          @Override
          public void receiveAndReply(Object message, RpcCallContext context) {
            throw new IllegalArgumentException("handler failed");
          }
        };
    RpcEndpointRef ref = env.setupEndpoint("e", e);
    assertThatThrownBy(() -> ref.askSync("x"))
        .isInstanceOf(RpcRemoteException.class)
        .hasCauseInstanceOf(IllegalArgumentException.class);
    assertThat(take(e, 2)).containsExactly("onStart", "error:handler failed");
  }

  @Test
  void anExceptionThrownByOnErrorIsSwallowedAndTheEndpointCarriesOn() throws Exception {
    RpcEnv env = envs.server("env");
    CountDownLatch later = new CountDownLatch(1);
    RpcEndpointRef ref =
        env.setupEndpoint(
            "e",
            new RpcEndpoint() {
              @Override
              public void receive(Object message) {
                if ("bad".equals(message)) {
                  throw new IllegalStateException("first");
                }
                later.countDown();
              }

              @Override
              public void onError(Throwable cause) {
                throw new IllegalStateException("onError itself failed");
              }
            });
    ref.send("bad");
    ref.send("fine");
    assertThat(later.await(20, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void theDefaultReceiveReportsThatItIsNotImplemented() throws Exception {
    RpcEnv env = envs.server("env");
    Endpoints.Recording e =
        new Endpoints.Recording() {
          @Override
          public void receive(Object message) {
            // fall back to RpcEndpoint's default, which throws
            new RpcEndpoint() {}.receive(message);
          }
        };
    env.setupEndpoint("e", e).send("x");
    assertThat(take(e, 2).get(1)).startsWith("error:").contains("does not implement 'receive'");
  }

  @Test
  void aStackOverflowIsSentBackAndTheDispatcherSurvives() {
    RpcEnv env =
        envs.server("env", TestEnvs.conf().set("spark.rpc.netty.dispatcher.numThreads", "2"));
    RpcEndpointRef deep = env.setupEndpoint("deep", Endpoints.replying((m, ctx) -> recurse(0)));
    RpcEndpointRef echo = env.setupEndpoint("echo", Endpoints.echo());
    for (int i = 0; i < 4; i++) { // more overflows than dispatcher threads
      assertThatThrownBy(() -> deep.askSync("x"))
          .isInstanceOf(RpcRemoteException.class)
          .hasCauseInstanceOf(StackOverflowError.class);
    }
    assertThat(echo.<String>askSync("alive")).isEqualTo("alive");
  }

  private static int recurse(int n) {
    return recurse(n + 1) + 1;
  }

  @Test
  void endpointStopFromInsideItselfRunsOnStop() {
    RpcEnv env = envs.server("env");
    Endpoints.Recording e =
        new Endpoints.Recording() {
          @Override
          public void receive(Object message) {
            stop();
          }
        };
    env.setupEndpoint("e", e).send("stop yourself");
    await().atMost(Duration.ofSeconds(20)).until(() -> e.stopCalled);
  }
}
