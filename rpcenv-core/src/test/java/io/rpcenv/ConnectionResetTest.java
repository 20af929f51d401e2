package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;

import io.rpcenv.testkit.Resources;
import io.rpcenv.testkit.TcpProxy;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many asks in flight from many envs, with and without connections reset under them: every ask ends
 * exactly once, with the reply to its own request or a clear connection error; the server never
 * sees a request twice; nothing hangs; replies meant for a dead connection never reach asks made on
 * the next one.
 */
class ConnectionResetTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  record Id(int client, int seq) implements Serializable {}

  private static final int CLIENTS = 8;
  private static final int WINDOW = 1000;

  /** What one load run saw. */
  record Outcome(int succeeded, int failed, Map<Id, Integer> received) {}

  private Outcome load(boolean resets, int asksPerClient) throws Exception {
    RpcEnv server = envs.server("server");
    Map<Id, Integer> received = new ConcurrentHashMap<>();
    server.setupEndpoint(
        "echo",
        Endpoints.replying(
            (m, ctx) -> {
              received.merge((Id) m, 1, Integer::sum);
              ctx.reply(m);
            }));
    TcpProxy proxy =
        resources.add(TcpProxy.startWithoutRecording("127.0.0.1", server.address().port()));
    RpcAddress target =
        new RpcAddress("127.0.0.1", resets ? proxy.port() : server.address().port());
    AtomicInteger succeeded = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger completed = new AtomicInteger();
    Semaphore resetDue = new Semaphore(0);
    List<CompletableFuture<Void>> all = new ArrayList<>();
    List<Throwable> wrong = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      RpcEndpointRef ref = envs.client("client-" + c).setupEndpointRef(target, "echo");
      int client = c;
      AtomicInteger issued = new AtomicInteger();
      for (int w = 0; w < WINDOW; w++) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        all.add(done);
        new Runnable() {
          @Override
          public void run() {
            int seq = issued.getAndIncrement();
            if (seq >= asksPerClient) {
              done.complete(null);
              return;
            }
            Id id = new Id(client, seq);
            AtomicInteger outcomes = new AtomicInteger();
            ref.<Id>ask(id)
                .whenComplete(
                    (reply, error) -> {
                      if (outcomes.incrementAndGet() != 1) {
                        wrong.add(new AssertionError("ask " + id + " completed twice"));
                      }
                      if (error == null) {
                        succeeded.incrementAndGet();
                        if (!id.equals(reply)) {
                          wrong.add(new AssertionError("ask " + id + " got the reply " + reply));
                        }
                      } else {
                        failed.incrementAndGet();
                        if (!(error instanceof RpcConnectionException)
                            || !error.getMessage().contains(target.hostPort())) {
                          wrong.add(error);
                        }
                      }
                      if (resets && completed.incrementAndGet() % 2_500 == 0) {
                        resetDue.release();
                      }
                      run(); // the next ask in this slot of the window
                    });
          }
        }.run();
      }
    }
    CompletableFuture<Void> finished =
        CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
    while (resets && !finished.isDone()) {
      if (resetDue.tryAcquire(100, TimeUnit.MILLISECONDS)) {
        proxy.resetAll();
      }
    }
    finished.get(120, TimeUnit.SECONDS); // nothing hangs
    assertThat(wrong).isEmpty();
    assertThat(succeeded.get() + failed.get()).isEqualTo(CLIENTS * asksPerClient);
    System.out.printf(
        "load%s: %d asks answered, %d failed with a connection error%n",
        resets ? " with resets" : "", succeeded.get(), failed.get());
    return new Outcome(succeeded.get(), failed.get(), received);
  }

  @Test
  void eightClientsWithAThousandAsksInFlightEachGetEveryReplyExactlyOnce() throws Exception {
    Outcome o = load(false, 3 * WINDOW);
    assertThat(o.succeeded()).isEqualTo(CLIENTS * 3 * WINDOW);
    assertThat(o.received())
        .hasSize(CLIENTS * 3 * WINDOW)
        .allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
  }

  @Test
  void resetsUnderLoadFailOnlyTheAsksOnTheResetConnectionsAndNeverCrossReplies() throws Exception {
    Outcome o = load(true, 3 * WINDOW);
    assertThat(o.failed()).as("the resets hit asks in flight").isPositive();
    assertThat(o.succeeded())
        .as("and traffic carried on between them")
        .isGreaterThan(CLIENTS * WINDOW);
    // an ask is never sent twice: the server saw each request at most once, every answered one
    assertThat(o.received().values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
    assertThat(o.received().size()).isGreaterThanOrEqualTo(o.succeeded());
  }

  @Test
  void lateRepliesFromAResetConnectionNeverReachAsksMadeOnTheNextOne() throws Exception {
    RpcEnv server = envs.server("server");
    BlockingQueue<Map.Entry<Object, RpcCallContext>> held = new LinkedBlockingQueue<>();
    server.setupEndpoint(
        "echo",
        Endpoints.replying(
            (m, ctx) -> {
              if (((String) m).startsWith("old")) {
                held.add(Map.entry(m, ctx)); // answered after the connection it came on is gone
              } else {
                ctx.reply(m);
              }
            }));
    TcpProxy proxy = resources.add(TcpProxy.start("127.0.0.1", server.address().port()));
    RpcEndpointRef ref =
        envs.client("client").setupEndpointRef(new RpcAddress("127.0.0.1", proxy.port()), "echo");
    List<CompletableFuture<String>> old = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      old.add(ref.ask("old " + i));
    }
    for (int i = 0; i < 10; i++) {
      assertThat(held.poll(20, TimeUnit.SECONDS)).isNotNull();
    }
    proxy.resetAll();
    for (CompletableFuture<String> f : old) {
      assertThat(catchCause(f))
          .isInstanceOf(RpcConnectionException.class)
          .hasMessageContaining("closed (connection reset by peer)")
          .hasMessageContaining("spark://echo@127.0.0.1:" + proxy.port())
          .hasMessageNotContaining("io.netty"); // said in words, not in the transport's class names
    }
    // New asks on a new connection reuse the same request ids (they are per connection).
    List<CompletableFuture<String>> fresh = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      fresh.add(ref.ask("new " + i));
    }
    for (Map.Entry<Object, RpcCallContext> e : held) {
      e.getValue().reply("late reply to " + e.getKey()); // goes nowhere: its connection is closed
    }
    for (int i = 0; i < 10; i++) {
      assertThat(fresh.get(i).get(20, TimeUnit.SECONDS)).isEqualTo("new " + i);
    }
    assertThat(ref.<String>askSync("new after late replies")).isEqualTo("new after late replies");
  }

  private static Throwable catchCause(CompletableFuture<?> f) throws InterruptedException {
    try {
      f.get(20, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got a reply");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the ask hung", e);
    }
  }
}
