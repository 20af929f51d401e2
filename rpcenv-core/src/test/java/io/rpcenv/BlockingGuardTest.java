package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rpcenv.testkit.Resources;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Blocking calls that could only end badly fail fast instead. */
class BlockingGuardTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  @Test
  void askSyncOnAnIoThreadFailsFast() throws Exception {
    RpcEnv server = envs.server("server");
    BlockingQueue<RpcCallContext> parked = new LinkedBlockingQueue<>();
    server.setupEndpoint(
        "held",
        Endpoints.replying(
            (m, ctx) -> {
              if ("first".equals(m)) {
                parked.add(ctx);
              } else {
                ctx.reply(m);
              }
            }));
    RpcEndpointRef ref = envs.client("client").setupEndpointRef(server.address(), "held");
    BlockingQueue<Object> seen = new LinkedBlockingQueue<>();
    var first = ref.ask("first");
    // attached before the reply exists, so it runs on the I/O thread that completes the ask
    var done =
        first.thenRun(
            () -> {
              Throwable t = catchThrowable(() -> ref.askSync("second"));
              seen.add(
                  t != null
                      ? t
                      : "askSync returned normally on " + Thread.currentThread().getName());
            });
    parked.poll(20, TimeUnit.SECONDS).reply("go");
    done.get(20, TimeUnit.SECONDS);
    assertThat(seen.poll(20, TimeUnit.SECONDS))
        .isInstanceOf(IllegalStateException.class)
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
        .hasMessageContaining("I/O thread")
        .hasMessageContaining("use ask()");
  }

  @Test
  void aThreadSafeEndpointAskingItselfSynchronouslyFailsFast() {
    RpcEnv env = envs.server("env");
    class SelfAsker extends RpcEndpoint implements ThreadSafeRpcEndpoint {
      @Override
      public void receiveAndReply(Object message, RpcCallContext context) {
        if ("outer".equals(message)) {
          Throwable t = catchThrowable(() -> self().askSync("inner"));
          context.reply(
              t == null ? "no error" : t.getClass().getSimpleName() + ": " + t.getMessage());
        } else {
          context.reply("inner reply");
        }
      }
    }
    RpcEndpointRef ref = env.setupEndpoint("self-asker", new SelfAsker());
    long start = System.nanoTime();
    String reply = ref.askSync("outer");
    assertThat(reply).startsWith("IllegalStateException").contains("called askSync on itself");
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
  }

  /** A plain endpoint that answers "outer" by asking itself, synchronously, for "inner". */
  private RpcEndpointRef selfAsker(int dispatcherThreads) {
    RpcEnv env =
        envs.server(
            "env",
            TestEnvs.conf()
                .set("spark.rpc.netty.dispatcher.numThreads", String.valueOf(dispatcherThreads)));
    return env.setupEndpoint(
        "plain",
        new RpcEndpoint() {
          @Override
          public void receiveAndReply(Object message, RpcCallContext context) {
            context.reply(
                "outer".equals(message) ? "got " + self().askSync("inner") : "inner reply");
          }
        });
  }

  @Test
  void aPlainEndpointAllowedOneThreadAskingItselfSynchronouslyFailsFast() {
    // two shared threads: a plain endpoint may use one, so asking itself could only time out
    assertThatThrownBy(() -> selfAsker(2).askSync("outer"))
        .isInstanceOf(RpcRemoteException.class)
        .hasMessageContaining("called askSync on itself");
  }

  @Test
  void aPlainEndpointMayAskItselfSynchronouslyWhenAnotherThreadCanAnswer() {
    // with 3 shared threads a plain endpoint may use 2: one to ask, one to answer
    assertThat(selfAsker(3).<String>askSync("outer")).isEqualTo("got inner reply");
  }
}
