package io.rpcenv.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rpcenv.RpcEndpoint;
import io.rpcenv.RpcEnvStoppedException;
import io.rpcenv.RpcException;
import io.rpcenv.ThreadSafeRpcEndpoint;
import io.rpcenv.internal.metrics.EnvMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Every message is handled or rejected exactly once, onStop last, even when stop races with posts.
 */
class InboxTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(4);

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
  }

  static final class Msg extends InboxMessage {
    final AtomicInteger handled;
    final AtomicInteger rejected;

    Msg(AtomicInteger handled, AtomicInteger rejected) {
      this.handled = handled;
      this.rejected = rejected;
    }

    @Override
    protected Object content() {
      return this;
    }

    @Override
    protected void invoke(RpcEndpoint endpoint, Object content) {
      endpoint.receive(content);
    }

    @Override
    protected void undeliverable(Throwable error, String endpoint) {}

    @Override
    public void reject(RpcException reason) {
      rejected.incrementAndGet();
    }

    @Override
    protected String describe() {
      return "msg";
    }
  }

  /** Posts from four threads while the inbox is stopped; returns how many messages were handled. */
  private int raceStopWithPosts(
      RpcEndpoint endpoint, int concurrency, ConcurrentLinkedQueue<String> log) throws Exception {
    AtomicInteger handled = new AtomicInteger();
    AtomicInteger rejected = new AtomicInteger();
    EnvMetrics metrics = new EnvMetrics();
    Inbox inbox =
        new Inbox("e", "test", endpoint, pool, concurrency, () -> {}, false, metrics.endpoint("e"));
    inbox.start();
    int posters = 4;
    int perPoster = 2_000;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < posters; p++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < perPoster; i++) {
                  inbox.post(new Msg(handled, rejected));
                }
              });
      threads.add(t);
      t.start();
    }
    go.countDown();
    inbox.stop(); // races with the posters
    for (Thread t : threads) {
      t.join();
    }
    inbox.termination().get(20, TimeUnit.SECONDS);
    assertThat(handled.get() + rejected.get()).isEqualTo(posters * perPoster);
    assertThat(log.peek()).isEqualTo("start");
    assertThat(log).last().isEqualTo("stop");
    assertThat(log.stream().filter("stop"::equals).count()).isEqualTo(1);
    // Every message that went in came out, handled or rejected.
    assertThat(
            metrics
                .registry()
                .getGauges()
                .get("rpcenv_endpoint_inbox_depth{endpoint=\"e\"}")
                .getValue())
        .isEqualTo(0L);
    return handled.get();
  }

  private static RpcEndpoint recording(ConcurrentLinkedQueue<String> log, AtomicInteger counter) {
    return new RpcEndpoint() {
      @Override
      public void onStart() {
        log.add("start");
      }

      @Override
      public void receive(Object message) {
        ((Msg) message).handled.incrementAndGet();
        counter.incrementAndGet();
      }

      @Override
      public void onStop() {
        log.add("stop");
      }
    };
  }

  @RepeatedTest(20)
  void concurrentEndpointHandlesOrRejectsEveryMessageOnceAndStopsLast() throws Exception {
    ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
    raceStopWithPosts(recording(log, new AtomicInteger()), 4, log);
  }

  @RepeatedTest(20)
  void singleThreadedEndpointHandlesOrRejectsEveryMessageOnceAndStopsLast() throws Exception {
    ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    class Serial extends RpcEndpoint implements ThreadSafeRpcEndpoint {
      @Override
      public void onStart() {
        log.add("start");
      }

      @Override
      public void receive(Object message) {
        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
        ((Msg) message).handled.incrementAndGet();
        inside.decrementAndGet();
      }

      @Override
      public void onStop() {
        log.add("stop");
      }
    }
    int handled = raceStopWithPosts(new Serial(), 1, log);
    assertThat(maxInside.get())
        .isEqualTo(handled > 0 ? 1 : 0); // 0 only when the stop won the race outright
  }

  @Test
  void theDispatcherRunsAThreadSafeEndpointOneMessageAtATimeOnItsSharedThreads() throws Exception {
    // Through the dispatcher, which reads the marker: an inbox made by hand would be told its
    // concurrency.
    Dispatcher dispatcher =
        new Dispatcher(
            role -> r -> new Thread(r, "inbox-test-" + role), "InboxTest", 4, new EnvMetrics());
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    AtomicInteger seen = new AtomicInteger();
    class Serial extends RpcEndpoint implements ThreadSafeRpcEndpoint {
      @Override
      public void receive(Object message) {
        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
        Thread.onSpinWait();
        inside.decrementAndGet();
        seen.incrementAndGet();
      }
    }
    try {
      Inbox inbox =
          dispatcher.register(
              "serial", new Serial(), () -> {}, () -> new RpcEnvStoppedException("test"));
      assertThat(inbox.isSingleThreaded()).isTrue();
      int messages = 20_000;
      AtomicInteger rejected = new AtomicInteger();
      AtomicInteger handled = new AtomicInteger();
      List<Thread> posters = new ArrayList<>();
      for (int p = 0; p < 4; p++) {
        Thread t =
            new Thread(
                () -> {
                  for (int i = 0; i < messages / 4; i++) {
                    inbox.post(new Msg(handled, rejected));
                  }
                });
        posters.add(t);
        t.start();
      }
      for (Thread t : posters) {
        t.join();
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> seen.get() == messages);
      assertThat(maxInside.get()).isEqualTo(1);
      assertThat(rejected.get()).isZero();
    } finally {
      dispatcher.stop();
      dispatcher.shutdownThreads(20_000, true);
    }
  }
}
