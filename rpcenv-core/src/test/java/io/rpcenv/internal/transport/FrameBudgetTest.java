package io.rpcenv.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Memory for frames still arriving follows the bytes, is bounded over all connections of an env,
 * and is given back when a frame completes, is given up, or its connection goes; a frame that stops
 * arriving is given up at its deadline.
 */
class FrameBudgetTest {
  private final List<EmbeddedChannel> channels = new ArrayList<>();

  @AfterEach
  void close() {
    for (EmbeddedChannel c : channels) {
      c.finishAndReleaseAll();
    }
  }

  /** A channel whose decoder has completed its handshake; {@code errors} gets what it fires. */
  private EmbeddedChannel channel(
      FrameBudget budget, Duration frameTimeout, AtomicReference<Throwable> errors) {
    EmbeddedChannel c = new EmbeddedChannel();
    c.freezeTime();
    FrameDecoder d =
        new FrameDecoder(
            "peer-" + channels.size(),
            64L << 20,
            frameTimeout,
            budget,
            new SpareArrays(1, 1),
            new ReadGate(c));
    c.pipeline()
        .addLast(d)
        .addLast(
            new io.netty.channel.ChannelInboundHandlerAdapter() {
              @Override
              public void exceptionCaught(
                  io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
                errors.set(cause);
              }
            });
    c.writeInbound(Unpooled.buffer().writeInt(Protocol.MAGIC).writeByte(Protocol.VERSION));
    d.handshakeDone();
    channels.add(c);
    return c;
  }

  private EmbeddedChannel channel(FrameBudget budget) {
    return channel(budget, Duration.ofSeconds(30), new AtomicReference<>());
  }

  /** The header of a one-way frame to "e" whose body (tag 2 and {@code bodyBytes}) is to follow. */
  private static ByteBuf oneWayHead(int bodyBytes) {
    return Unpooled.buffer()
        .writeInt(1 + 2 + 1 + 1 + bodyBytes)
        .writeByte(Protocol.ONE_WAY)
        .writeShort(1)
        .writeByte('e')
        .writeByte(2);
  }

  private static ByteBuf bytes(int n) {
    return Unpooled.buffer(n).writeZero(n);
  }

  @Test
  void aHeaderDeclaringAHugeFrameCommitsAlmostNothing() {
    FrameBudget budget = new FrameBudget(1L << 30);
    EmbeddedChannel c = channel(budget);
    c.writeInbound(oneWayHead(60 << 20).writeZero(100));
    assertThat(budget.used())
        .as("bytes held for a 60 MiB frame of which 100 bytes came")
        .isLessThan(70_000);
  }

  @Test
  void memoryGrowsWithTheBytesAndNeverToMoreThanEightTimesWhatArrived() {
    FrameBudget budget = new FrameBudget(1L << 30);
    EmbeddedChannel c = channel(budget);
    int body = 8 << 20;
    c.writeInbound(oneWayHead(body));
    long arrived = 0;
    while (arrived < body) {
      int n = (int) Math.min(65_536, body - arrived);
      c.writeInbound(bytes(n));
      arrived += n;
      if (arrived < body) {
        assertThat(budget.used())
            .as("held after %s bytes", arrived)
            .isLessThanOrEqualTo(Math.max(8 * arrived, 70_000));
      }
    }
    LargeFrame f = c.readInbound();
    assertThat(f.rest()).hasSize(body);
    f.head().release();
    assertThat(budget.used()).as("given back once whole").isZero();
  }

  @Test
  void aConnectionThatWouldExceedTheBudgetStopsBeingReadUntilMemoryFreesUp() {
    FrameBudget budget = new FrameBudget(1 << 20);
    EmbeddedChannel first = channel(budget);
    EmbeddedChannel second = channel(budget);
    EmbeddedChannel third = channel(budget);
    int body = 3 << 20;
    // The first goes beyond the budget: it is the one frame allowed to finish beyond it.
    first.writeInbound(oneWayHead(body));
    for (int i = 0; i < 24; i++) {
      first.writeInbound(bytes(65_536));
    }
    assertThat(budget.used()).isGreaterThan(1 << 20);
    assertThat(first.config().isAutoRead()).isTrue();
    // The others must wait, their reading paused.
    second.writeInbound(oneWayHead(body).writeZero(1000));
    third.writeInbound(oneWayHead(body).writeZero(1000));
    assertThat(second.config().isAutoRead()).isFalse();
    assertThat(third.config().isAutoRead()).isFalse();
    // The first completes and gives its memory back; the waiting ones are read again.
    first.writeInbound(bytes(body - 24 * 65_536));
    LargeFrame whole = first.readInbound();
    whole.head().release();
    second.runPendingTasks();
    third.runPendingTasks();
    assertThat(second.config().isAutoRead()).isTrue();
    assertThat(third.config().isAutoRead()).isTrue();
  }

  @Test
  void aWaiterIsWokenOnlyOnceWhatItNeedsFitsOrTheOverdraftIsFree() {
    FrameBudget budget = new FrameBudget(100);
    Object a = "a";
    Object b = "b";
    assertThat(budget.tryReserve(a, 90)).isTrue();
    assertThat(budget.tryReserve(b, 50)).as("b takes the overdraft").isTrue();
    assertThat(budget.tryReserve("c", 30)).as("c: over the budget, overdraft taken").isFalse();
    AtomicInteger woken = new AtomicInteger();
    budget.await("c", 30, woken::incrementAndGet);
    budget.charge(a, -30, true);
    assertThat(woken).as("110 of 100 used: 30 more does not fit").hasValue(0);
    budget.release(a, 60);
    assertThat(woken).as("50 used: 30 more fits").hasValue(1);
    AtomicInteger big = new AtomicInteger();
    budget.await("d", 80, big::incrementAndGet);
    assertThat(big).as("50 used, overdraft held: 80 does not fit").hasValue(0);
    budget.release(b, 50);
    assertThat(big).as("the overdraft is free").hasValue(1);
  }

  @Test
  void whenTheOverdraftFreesOnlyOneWaiterThatDoesNotFitIsOfferedIt() {
    FrameBudget budget = new FrameBudget(100);
    assertThat(budget.tryReserve("a", 150)).isTrue();
    AtomicInteger first = new AtomicInteger();
    AtomicInteger second = new AtomicInteger();
    budget.await("first", 10, first::incrementAndGet);
    budget.await("second", 10, second::incrementAndGet);
    budget.release("a", 40);
    assertThat(first).hasValue(1);
    assertThat(second).as("woken when memory or the overdraft frees for it").hasValue(0);
    budget.release("b", 20);
    assertThat(second).as("90 used: 10 more fits").hasValue(1);
  }

  /**
   * A connection streaming large frames back to back, each beyond the budget, hands the overdraft
   * to the connection waiting for it when a frame completes, instead of keeping it with the next
   * frame already under way, which starved the waiting one as long as the stream lasted.
   */
  @Test
  void aConnectionStreamingLargeFramesPassesTheOverdraftToOneWaiting() {
    FrameBudget budget = new FrameBudget(2 << 20);
    EmbeddedChannel waiter = channel(budget);
    EmbeddedChannel stream = channel(budget);
    int body = 3 << 20;
    waiter.writeInbound(oneWayHead(body).writeZero(200_000));
    stream.writeInbound(oneWayHead(body).writeZero(1_000_000)); // beyond: the overdraft
    waiter.writeInbound(bytes(200_000)); // wants 600,000 bytes more: waits
    assertThat(waiter.config().isAutoRead()).isFalse();
    // The stream's frame completes, and its next one is under way in the same read.
    stream.writeInbound(bytes(body - 1_000_000).writeBytes(oneWayHead(body)).writeZero(1_000_000));
    LargeFrame first = stream.readInbound();
    first.head().release();
    waiter.runPendingTasks();
    assertThat(waiter.config().isAutoRead()).as("handed the overdraft").isTrue();
    assertThat(stream.config().isAutoRead()).as("the stream waits its turn").isFalse();
    waiter.writeInbound(bytes(body - 400_000));
    LargeFrame waited = waiter.readInbound();
    waited.head().release();
    stream.runPendingTasks();
    assertThat(stream.config().isAutoRead()).as("the stream's turn again").isTrue();
    stream.writeInbound(bytes(body - 1_000_000));
    LargeFrame second = stream.readInbound();
    second.head().release();
    assertThat(budget.used()).isZero();
  }

  /**
   * A connection between frames has no frame to finish beyond the budget: handed the overdraft, it
   * would keep it, idle, while one in the middle of a frame that needs it waits for good.
   */
  @Test
  void aWaiterBetweenFramesIsNeverHandedTheOverdraft() {
    FrameBudget budget = new FrameBudget(100);
    assertThat(budget.tryReserve("a", 150)).isTrue();
    AtomicInteger idle = new AtomicInteger();
    AtomicInteger mid = new AtomicInteger();
    budget.awaitUnderBudget("idle", idle::incrementAndGet);
    budget.await("mid", 500, mid::incrementAndGet);
    budget.release("a", 40); // 110 used, the overdraft free
    assertThat(idle).as("still over the budget").hasValue(0);
    assertThat(mid).as("handed the overdraft").hasValue(1);
    assertThat(budget.tryReserve("other", 1)).as("the overdraft is mid's").isFalse();
    budget.release("b", 20);
    assertThat(idle).as("90 used: within the budget").hasValue(1);
  }

  /**
   * A connection that went while it waited is forgotten: the overdraft, when it frees, is offered
   * to one still there, which could otherwise wait for good when nothing else frees memory.
   */
  @Test
  void theOverdraftIsOfferedToAWaiterStillThereNotToOneGone() {
    FrameBudget budget = new FrameBudget(100);
    assertThat(budget.tryReserve("a", 150)).isTrue();
    AtomicInteger gone = new AtomicInteger();
    AtomicInteger there = new AtomicInteger();
    budget.await("gone", 500, gone::incrementAndGet);
    budget.await("there", 500, there::incrementAndGet);
    budget.release("gone", 0);
    budget.release("a", 150);
    assertThat(gone).hasValue(0);
    assertThat(there).as("offered the overdraft").hasValue(1);
  }

  /**
   * A connection waiting for more memory than frees up stays paused: it is not resumed only to be
   * refused again, which kept an event loop spinning through pause and resume (and the other
   * connections on it starving) whenever the memory used dropped below the budget by less than the
   * waiting connection needed.
   */
  @Test
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aConnectionNeedingMoreThanFreesUpStaysPausedInsteadOfSpinning() {
    FrameBudget budget = new FrameBudget(2 << 20);
    EmbeddedChannel waiter = channel(budget);
    EmbeddedChannel small = channel(budget);
    EmbeddedChannel holder = channel(budget);
    int body = 8 << 20;
    waiter.writeInbound(oneWayHead(body).writeZero(400_000));
    small.writeInbound(oneWayHead(body).writeZero(1_000_000));
    holder.writeInbound(oneWayHead(body).writeZero(1_000_000)); // beyond: the overdraft
    waiter.writeInbound(bytes(100_000)); // wants to grow by 1.2 MB
    assertThat(waiter.config().isAutoRead()).isFalse();
    small.close();
    assertThat(budget.used())
        .as("below the budget, though not by the 1.2 MB the waiter needs")
        .isLessThan(budget.limit())
        .isGreaterThan(budget.limit() - 1_200_000);
    waiter.runPendingTasks(); // spun here when any freeing below the budget woke every waiter
    assertThat(waiter.config().isAutoRead()).isFalse();
    holder.close();
    waiter.runPendingTasks();
    assertThat(waiter.config().isAutoRead()).isTrue();
  }

  @Test
  void timeAConnectionWaitsForMemoryDoesNotCountTowardsItsFrameTimeout() {
    FrameBudget budget = new FrameBudget(1 << 20);
    AtomicReference<Throwable> holderError = new AtomicReference<>();
    AtomicReference<Throwable> waiterError = new AtomicReference<>();
    EmbeddedChannel holder = channel(budget, Duration.ofSeconds(8), holderError);
    EmbeddedChannel waiter = channel(budget, Duration.ofSeconds(8), waiterError);
    holder.writeInbound(oneWayHead(4 << 20));
    for (int i = 0; i < 24; i++) {
      holder.writeInbound(bytes(65_536));
    }
    waiter.writeInbound(oneWayHead(4 << 20).writeZero(100_000));
    assertThat(waiter.config().isAutoRead()).isFalse();
    for (int i = 0; i < 6; i++) {
      holder.advanceTimeBy(2, TimeUnit.SECONDS);
      holder.runScheduledPendingTasks();
      waiter.advanceTimeBy(2, TimeUnit.SECONDS);
      waiter.runScheduledPendingTasks();
    }
    assertThat(holderError.get())
        .as("the holder read for 12 s and its frame did not complete")
        .hasMessageContaining("did not arrive within 8 seconds");
    assertThat(waiterError.get()).as("the waiter was paused all the time").isNull();
    waiter.runPendingTasks();
    assertThat(waiter.config().isAutoRead()).as("resumed once the holder was given up").isTrue();
  }

  @Test
  void aClosedConnectionGivesBackWhatItHeld() {
    FrameBudget budget = new FrameBudget(1L << 30);
    EmbeddedChannel c = channel(budget);
    c.writeInbound(oneWayHead(1 << 20).writeZero(300_000));
    assertThat(budget.used()).isPositive();
    c.close();
    assertThat(budget.used()).isZero();
  }

  @Test
  void aFrameWhoseBytesStopArrivingIsGivenUpAtItsDeadline() {
    FrameBudget budget = new FrameBudget(1L << 30);
    AtomicReference<Throwable> error = new AtomicReference<>();
    EmbeddedChannel c = channel(budget, Duration.ofSeconds(8), error);
    c.writeInbound(oneWayHead(1 << 20).writeZero(5000));
    for (int i = 0; i < 3; i++) {
      c.advanceTimeBy(2, TimeUnit.SECONDS);
      c.runScheduledPendingTasks();
      c.writeInbound(bytes(10)); // a trickle does not extend the deadline
    }
    assertThat(error.get()).isNull();
    c.advanceTimeBy(2, TimeUnit.SECONDS);
    c.runScheduledPendingTasks();
    assertThat(error.get())
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("of its 1048581 bytes")
        .hasMessageContaining("did not arrive within 8 seconds (spark.rpc.io.frameTimeout)");
    assertThat(budget.used()).isZero();
  }

  @Test
  void framesThatKeepCompletingAreNeverGivenUp() {
    FrameBudget budget = new FrameBudget(1L << 30);
    AtomicReference<Throwable> error = new AtomicReference<>();
    EmbeddedChannel c = channel(budget, Duration.ofSeconds(8), error);
    for (int i = 0; i < 20; i++) {
      // each read ends inside a frame, but each frame completes in the next read
      c.writeInbound(
          Unpooled.buffer()
              .writeInt(3)
              .writeByte(9)
              .writeByte(0)
              .writeByte(0)
              .writeInt(3)
              .writeByte(9));
      c.writeInbound(Unpooled.buffer().writeByte(0).writeByte(0));
      ByteBuf a = c.readInbound();
      ByteBuf b = c.readInbound();
      a.release();
      b.release();
      c.writeInbound(Unpooled.buffer().writeInt(3).writeByte(9));
      c.advanceTimeBy(2, TimeUnit.SECONDS);
      c.runScheduledPendingTasks();
      c.writeInbound(Unpooled.buffer().writeByte(0).writeByte(0));
      ByteBuf d = c.readInbound();
      d.release();
    }
    assertThat(error.get()).isNull();
  }
}
