package io.rpcenv.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
