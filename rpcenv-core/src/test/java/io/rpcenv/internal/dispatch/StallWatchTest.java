package io.rpcenv.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stall watch against real threads and a clock the test moves, so what is reported and when is
 * exact: no waiting on the watch's own period.
 */
class StallWatchTest {
  private static final long THRESHOLD = TimeUnit.SECONDS.toNanos(10);

  private final List<String> stalled = new CopyOnWriteArrayList<>();
  private final List<String> recovered = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final StallWatch watch =
      new StallWatch(
          THRESHOLD,
          "10 seconds",
          () -> threads,
          new StallWatch.Sink(stalled::add, recovered::add));

  @AfterEach
  void stopThreads() throws InterruptedException {
    for (Thread t : threads) {
      t.interrupt();
      t.join(10_000);
    }
  }

  private RpcThread start(Runnable body) {
    RpcThread t = (RpcThread) RpcThread.factory("stall-test", this, false).newThread(body);
    threads.add(t);
    t.start();
    return t;
  }

  /**
   * Runs one message, or the lifecycle callback {@code lifecycle} if not null, that blocks until
   * {@code release}; counts down {@code running} inside it.
   */
  private RpcThread blockedWorker(
      String lifecycle, CountDownLatch running, CountDownLatch release) {
    return start(
        () -> {
          RpcThread self = RpcThread.current();
          if (lifecycle == null) {
            self.beginMessage();
          } else {
            self.beginLifecycle(lifecycle);
          }
          try {
            running.countDown();
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            if (lifecycle == null) {
              self.endMessage();
            } else {
              self.endLifecycle();
            }
          }
        });
  }

  @Test
  void aMessageRunningLongerThanTheThresholdIsReportedOnceWithItsThreadAndStack() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RpcThread worker = blockedWorker(null, running, release);
    running.await();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> worker.getState() == Thread.State.WAITING); // in await()
    long t0 = 1_000_000_000L;
    watch.check(t0);
    watch.check(t0 + THRESHOLD - 1);
    assertThat(stalled).isEmpty();
    watch.check(t0 + THRESHOLD);
    assertThat(stalled).hasSize(1);
    assertThat(stalled.get(0))
        .contains(
            "handling a message has been running for more than 10 seconds on thread "
                + worker.getName())
        .contains("spark.rpc.dispatcher.stallWarning")
        .contains("IsolatedRpcEndpoint")
        .contains("\n\tat java.util.concurrent.CountDownLatch.await(CountDownLatch.java:")
        .contains("\n\tat " + StallWatchTest.class.getName() + ".lambda$");
    watch.check(t0 + 3 * THRESHOLD);
    assertThat(stalled).hasSize(1);
    assertThat(recovered).isEmpty();

    release.countDown();
    worker.join(10_000);
    watch.check(t0 + 4 * THRESHOLD);
    assertThat(recovered)
        .singleElement()
        .asString()
        .contains("handling a message finished after about 40 s on thread " + worker.getName());
    assertThat(stalled).hasSize(1);
  }

  @Test
  void aThreadHandlingManyShortMessagesIsNeverReported() throws Exception {
    SynchronousQueue<String> steps = new SynchronousQueue<>();
    SynchronousQueue<String> begun = new SynchronousQueue<>();
    RpcThread worker =
        start(
            () -> {
              RpcThread self = RpcThread.current();
              try {
                for (String step; !(step = steps.take()).equals("end"); ) {
                  self.endMessage();
                  self.beginMessage();
                  begun.put(step);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                self.endMessage();
              }
            });
    long now = 0;
    for (int i = 0; i < 20; i++) {
      steps.put("message " + i);
      begun.take(); // the worker is now inside message i
      watch.check(now);
      now += THRESHOLD; // a whole threshold between checks, but a new message each time
    }
    steps.put("end");
    worker.join(10_000); // it has ended its last message
    watch.check(now);
    assertThat(stalled).isEmpty();
    assertThat(recovered).isEmpty();
  }

  @Test
  void aBlockedLifecycleCallbackIsReportedByName() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RpcThread worker = blockedWorker("onStop", running, release);
    running.await();
    watch.check(0);
    watch.check(THRESHOLD);
    assertThat(stalled)
        .singleElement()
        .asString()
        .startsWith("Endpoint ? in onStop has been running for more than");
    release.countDown();
    worker.join(10_000);
    assertThat(worker.lifecycle()).isNull();
  }

  @Test
  void idleThreadsAndThreadsThatAreNotOursAreIgnored() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    start(
        () -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    Thread plain = new Thread(() -> {});
    threads.add(plain);
    watch.check(0);
    watch.check(5 * THRESHOLD);
    release.countDown();
    assertThat(stalled).isEmpty();
  }

  @Test
  void theWatchRunsEveryQuarterOfTheThresholdButNotMoreOftenThanEvery10Ms() {
    assertThat(watch.periodNanos()).isEqualTo(THRESHOLD / 4);
    StallWatch tiny =
        new StallWatch(TimeUnit.MILLISECONDS.toNanos(4), "4 ms", List::of, StallWatch.LOG_SINK);
    assertThat(tiny.periodNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(10));
  }
}
