package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;

import io.rpcenv.testkit.Resources;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The memory for frames still arriving (spark.rpc.io.frameBudget) is shared: a client streaming
 * asks larger than the whole budget back to back, each finishing beyond it, cannot keep another
 * client's large ask waiting for memory for as long as its stream lasts.
 */
class FrameBudgetFairnessTest {
  private static final int ASK_BYTES = 12 << 20;

  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  @Test
  void aClientStreamingAsksLargerThanTheBudgetDoesNotStarveAnotherClientsLargeAsk()
      throws Exception {
    RpcEnv server = envs.server("server", TestEnvs.conf().set("spark.rpc.io.frameBudget", "8m"));
    server.setupEndpoint("size", Endpoints.replying((m, ctx) -> ctx.reply(((byte[]) m).length)));
    RpcConf patient = TestEnvs.conf().set("spark.rpc.askTimeout", "120s");
    RpcEndpointRef stream =
        envs.client("stream", patient).setupEndpointRef(server.address(), "size");
    RpcEndpointRef other = envs.client("other", patient).setupEndpointRef(server.address(), "size");

    CompletableFuture<Void> stop = new CompletableFuture<>();
    AtomicInteger answered = new AtomicInteger();
    AtomicReference<Throwable> streamFailure = new AtomicReference<>();
    Semaphore inFlight = new Semaphore(8);
    Thread streamer =
        new Thread(
            () -> {
              byte[] body = new byte[ASK_BYTES];
              while (!stop.isDone() && streamFailure.get() == null) {
                inFlight.acquireUninterruptibly();
                stream
                    .<Integer>ask(body)
                    .whenComplete(
                        (size, e) -> {
                          if (e != null) {
                            streamFailure.compareAndSet(null, e);
                          } else {
                            answered.incrementAndGet();
                          }
                          inFlight.release();
                        });
              }
            },
            "streamer");
    streamer.setDaemon(true);
    streamer.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (answered.get() < 8 && streamFailure.get() == null && System.nanoTime() < deadline) {
        inFlight.tryAcquire(0, 50, TimeUnit.MILLISECONDS); // a timed wait, taking nothing
      }
      assertThat(answered.get()).as("the stream is under way").isGreaterThanOrEqualTo(8);
      int before = answered.get();
      int size = other.<Integer>ask(new byte[ASK_BYTES]).get(120, TimeUnit.SECONDS);
      assertThat(size).isEqualTo(ASK_BYTES);
      System.out.printf(
          "the other client's 12 MB ask got through while the stream had %,d answers%n",
          answered.get() - before);
      int after = answered.get();
      // well within the ask timeout: a connection left paused for good would fail only by that
      long more = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (answered.get() < after + 8
          && streamFailure.get() == null
          && System.nanoTime() < more) {
        inFlight.tryAcquire(0, 50, TimeUnit.MILLISECONDS); // a timed wait, taking nothing
      }
      assertThat(answered.get()).as("the stream goes on").isGreaterThanOrEqualTo(after + 8);
    } finally {
      stop.complete(null);
      streamer.join(TimeUnit.SECONDS.toMillis(30));
    }
    assertThat(streamFailure.get()).as("the stream's asks").isNull();
    assertThat(inFlight.tryAcquire(8, 30, TimeUnit.SECONDS))
        .as("every ask of the stream answered")
        .isTrue();
  }
}
