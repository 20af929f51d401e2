package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rpcenv.internal.TestAccessBridge;
import io.rpcenv.testkit.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Plain endpoints run concurrently; thread-safe ones one at a time in order; isolated ones on their
 * own threads.
 */
class ThreadingModelTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  private RpcEnv env(int dispatcherThreads) {
    return envs.server(
        "env",
        TestEnvs.conf()
            .set("spark.rpc.netty.dispatcher.numThreads", String.valueOf(dispatcherThreads)));
  }

  @Test
  void aPlainEndpointHandlesMessagesConcurrently() throws Exception {
    RpcEnv env = env(3); // a plain endpoint gets all shared threads but one
    CyclicBarrier both = new CyclicBarrier(2); // passes only if two handlers run at the same time
    RpcEndpointRef ref =
        env.setupEndpoint(
            "plain",
            Endpoints.replying(
                (m, ctx) -> {
                  try {
                    both.await(20, TimeUnit.SECONDS);
                    ctx.reply("met");
                  } catch (Exception e) {
                    ctx.sendFailure(e);
                  }
                }));
    var a = ref.<String>ask("a");
    var b = ref.<String>ask("b");
    assertThat(a.get(20, TimeUnit.SECONDS)).isEqualTo("met");
    assertThat(b.get(20, TimeUnit.SECONDS)).isEqualTo("met");
  }

  @Test
  void aPlainEndpointNeverHoldsTheLastSharedThread() throws Exception {
    RpcEnv env = env(3);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger inside = new AtomicInteger();
    RpcEndpointRef busy =
        env.setupEndpoint(
            "busy",
            Endpoints.receiving(
                m -> {
                  inside.incrementAndGet();
                  try {
                    release.await(20, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    RpcEndpointRef other = env.setupEndpoint("other", Endpoints.echo());
    try {
      for (int i = 0; i < 5; i++) {
        busy.send(i);
      }
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(20))
          .until(() -> inside.get() == 2);
      assertThat(other.<String>askSync("still served")).isEqualTo("still served");
      assertThat(inside.get()).isEqualTo(2);
    } finally {
      release.countDown();
    }
  }

  static class Counter extends RpcEndpoint implements ThreadSafeRpcEndpoint {
    int count; // deliberately not volatile: the threading contract makes it safe
    int inside;
    int maxInside;
    final List<Integer> order = new ArrayList<>();
    final CountDownLatch done;

    Counter(int expected) {
      done = new CountDownLatch(expected);
    }

    @Override
    public void receive(Object message) {
      inside++;
      maxInside = Math.max(maxInside, inside);
      count++;
      order.add((Integer) message);
      inside--;
      done.countDown();
    }
  }

  @Test
  void aThreadSafeEndpointHandlesOneMessageAtATimeInOrder() throws Exception {
    RpcEnv env = env(4);
    Counter counter = new Counter(1000);
    RpcEndpointRef ref = env.setupEndpoint("counter", counter);
    List<Thread> senders = new ArrayList<>();
    for (int t = 0; t < 10; t++) {
      int base = t * 100;
      senders.add(
          new Thread(
              () -> {
                for (int i = 0; i < 100; i++) {
                  ref.send(base + i);
                }
              }));
    }
    senders.forEach(Thread::start);
    for (Thread t : senders) {
      t.join();
    }
    assertThat(counter.done.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(counter.count).isEqualTo(1000);
    assertThat(counter.maxInside).isEqualTo(1);
    // each sender's messages arrive in the order it sent them
    for (int t = 0; t < 10; t++) {
      int base = t * 100;
      List<Integer> mine = counter.order.stream().filter(i -> i / 100 == base / 100).toList();
      assertThat(mine).isSorted().hasSize(100);
    }
  }

  @Test
  void aRemoteSenderIsHeardInOrderByAThreadSafeEndpoint() throws Exception {
    RpcEnv env = env(4);
    Counter counter = new Counter(500);
    env.setupEndpoint("counter", counter);
    RpcEndpointRef ref = envs.client("client").setupEndpointRef(env.address(), "counter");
    for (int i = 0; i < 500; i++) {
      ref.send(i);
    }
    assertThat(counter.done.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(counter.order).isSorted().hasSize(500);
  }

  static final class Blocker extends RpcEndpoint implements IsolatedRpcEndpoint {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void receive(Object message) {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void aBlockedIsolatedEndpointDoesNotStopOthersEvenWithOneSharedThread() throws Exception {
    RpcEnv env = env(1);
    Blocker blocker = new Blocker();
    env.setupEndpoint("blocker", blocker).send("block");
    assertThat(blocker.entered.await(20, TimeUnit.SECONDS)).isTrue();
    RpcEndpointRef echo = env.setupEndpoint("echo", Endpoints.echo());
    assertThat(echo.<String>askSync("still answering")).isEqualTo("still answering");
    blocker.release.countDown();
  }

  /**
   * An isolated endpoint with {@code threads} threads that answers with the name of the thread it
   * ran on.
   */
  static final class ThreadNamer extends RpcEndpoint implements IsolatedRpcEndpoint {
    private final int threads;

    ThreadNamer(int threads) {
      this.threads = threads;
    }

    @Override
    public int threadCount() {
      return threads;
    }

    @Override
    public void receiveAndReply(Object message, RpcCallContext context) {
      context.reply(Thread.currentThread().getName());
    }
  }

  @Test
  void anIsolatedEndpointRunsOnItsOwnNamedThreads() {
    RpcEnv env = env(2);
    RpcEndpointRef ref = env.setupEndpoint("where", new ThreadNamer(1));
    assertThat(ref.<String>askSync("?")).startsWith("rpcenv-env-where-");
    RpcEndpointRef shared =
        env.setupEndpoint(
            "shared", Endpoints.replying((m, ctx) -> ctx.reply(Thread.currentThread().getName())));
    assertThat(shared.<String>askSync("?")).startsWith("rpcenv-env-dispatcher-");
  }

  @Test
  void isolatedEndpointsStartedAndStoppedRepeatedlyLeaveNoThreadsBehind() {
    RpcEnv env = env(2);
    int before = TestAccessBridge.threadsKept(env);
    for (int i = 0; i < 30; i++) {
      RpcEndpointRef ref = env.setupEndpoint("iso-" + i, new ThreadNamer(2));
      assertThat(ref.<String>askSync("?")).startsWith("rpcenv-env-iso-" + i + "-");
      env.stop(ref);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().startsWith("rpcenv-env-iso-")));
    assertThat(env.setupEndpoint("last", new ThreadNamer(2)).<String>askSync("?"))
        .startsWith("rpcenv-env-last-");
    // the ended threads of 30 stopped endpoints were dropped when the last one's threads were made
    assertThat(TestAccessBridge.threadsKept(env)).isBetween(before + 1, before + 2);
    assertThat(TestAccessBridge.isolatedPools(env)).isEqualTo(1);
  }

  @Test
  void anIsolatedEndpointWithSeveralThreadsRunsThemConcurrently() throws Exception {
    RpcEnv env = env(1);
    CyclicBarrier three = new CyclicBarrier(3);
    AtomicInteger met = new AtomicInteger();
    class Wide extends RpcEndpoint implements IsolatedRpcEndpoint {
      @Override
      public int threadCount() {
        return 3;
      }

      @Override
      public void receiveAndReply(Object message, RpcCallContext context) {
        try {
          three.await(20, TimeUnit.SECONDS);
          met.incrementAndGet();
          context.reply("ok");
        } catch (Exception e) {
          context.sendFailure(e);
        }
      }
    }
    RpcEndpointRef ref = env.setupEndpoint("wide", new Wide());
    var fs = List.of(ref.<String>ask(1), ref.<String>ask(2), ref.<String>ask(3));
    for (var f : fs) {
      assertThat(f.get(20, TimeUnit.SECONDS)).isEqualTo("ok");
    }
    assertThat(met.get()).isEqualTo(3);
  }

  @Test
  void anIsolatedThreadSafeEndpointWithSeveralThreadsStillRunsOneAtATime() throws Exception {
    RpcEnv env = env(2);
    class Both extends Counter implements IsolatedRpcEndpoint {
      Both() {
        super(300);
      }

      @Override
      public int threadCount() {
        return 4;
      }
    }
    Both both = new Both();
    RpcEndpointRef ref = env.setupEndpoint("both", both);
    for (int i = 0; i < 300; i++) {
      ref.send(i);
    }
    assertThat(both.done.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(both.maxInside).isEqualTo(1);
    assertThat(both.order).isSorted();
  }
}
