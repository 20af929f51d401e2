package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.rpcenv.RpcTimeout;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the peer's preface, then cuts the stream into frames, each emitted without its length
 * field as a retained slice, or, for a large frame (see {@link Protocol#LARGE_FRAME}), assembled in
 * an array as it arrives ({@link ArrivingFrame}). A frame's length is checked against the limit
 * from its header alone. Memory follows the bytes that arrive, never a header's word: what a
 * connection buffers of frames still arriving is charged to the env's {@link FrameBudget}, and
 * reading pauses while the budget is spent. A frame must arrive whole within
 * spark.rpc.io.frameTimeout, asks outstanding or not; time this env paused reading does not count.
 * The deadline is checked every quarter of the timeout, with clock reads at those checks and when
 * reading pauses or resumes, never per frame.
 */
final class FrameDecoder extends ByteToMessageDecoder {
  private static final Logger LOG = LoggerFactory.getLogger(FrameDecoder.class);

  /** Checks of the frame deadline per frame timeout. */
  private static final int TICKS = 4;

  /** The remote address (its toString is host:port), for error texts, made only when needed. */
  private final Object peer;

  private final long messageLimit;
  private final Duration frameTimeout;
  private final FrameBudget budget;
  private final SpareArrays spares;
  private final ReadGate gate;
  private boolean prefaceSeen;
  private int maxFrame = Protocol.MAX_HANDSHAKE_FRAME;
  private boolean failed;
  private ArrivingFrame arriving;

  /**
   * What this connection has charged to the budget: the bytes it buffers of a frame still arriving.
   */
  private long charged;

  private boolean waitingForBudget;
  private boolean pausedOnce;

  /** Frames read (also what the frame timeout watches): the connection's, once countInto. */
  private Traffic traffic = new Traffic();

  private final FrameDeadline deadline;
  private boolean ticking;

  /**
   * @param peer the remote address (an RpcAddress, or the socket's text), for error texts
   * @param messageLimit spark.rpc.message.maxSize in bytes, applied once the handshake is done
   * @param frameTimeout spark.rpc.io.frameTimeout
   * @param budget the env's memory for frames still arriving
   * @param spares arrays to assemble large frames in, given back by readers done with them
   * @param gate pauses reading from this connection
   */
  FrameDecoder(
      Object peer,
      long messageLimit,
      Duration frameTimeout,
      FrameBudget budget,
      SpareArrays spares,
      ReadGate gate) {
    this.peer = peer;
    this.messageLimit = messageLimit;
    this.frameTimeout = frameTimeout;
    this.deadline = new FrameDeadline(frameTimeout);
    this.budget = budget;
    this.spares = spares;
    this.gate = gate;
  }

  /** Counts the frames this decoder reads into {@code connectionTraffic}. Before it reads. */
  void countInto(Traffic connectionTraffic) {
    this.traffic = connectionTraffic;
  }

  /** After the handshake: accept frames up to the configured message size. */
  void handshakeDone() {
    maxFrame = (int) Math.min(Integer.MAX_VALUE - 16, messageLimit + Protocol.HEADER_ALLOWANCE);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (arriving != null) {
      continueArriving(ctx, in, out);
      return;
    }
    if (!prefaceSeen) {
      if (in.readableBytes() < Protocol.PREFACE_LENGTH) {
        return;
      }
      ProtocolException wrong = Preface.problem(in, peer);
      if (wrong != null) {
        throw fail(wrong);
      }
      in.skipBytes(Protocol.PREFACE_LENGTH);
      prefaceSeen = true;
    }
    if (in.readableBytes() < 4) {
      return;
    }
    int length = in.getInt(in.readerIndex());
    checkLength(length);
    int needed = 4 + length;
    if (in.readableBytes() < needed
        && length >= Protocol.LARGE_FRAME
        && maxFrame > Protocol.MAX_HANDSHAKE_FRAME) {
      int tagAt = Protocol.bodyOffset(in, in.readerIndex() + 4, length);
      if (tagAt == Protocol.NEED_MORE) {
        return;
      }
      in.skipBytes(4);
      if (tagAt == Protocol.NO_BODY) {
        arriving = new ArrivingFrame(null, length, length);
      } else {
        byte[] head = new byte[tagAt + 1];
        in.readBytes(head);
        arriving = new ArrivingFrame(head, length - tagAt - 1, length);
      }
      continueArriving(ctx, in, out);
      return;
    }
    if (in.readableBytes() < needed) {
      int missing = needed - in.readableBytes();
      // Room for the rest in one allocation instead of repeated doubling, once half the frame is
      // here.
      if (missing <= in.readableBytes()
          && missing > in.writableBytes()
          && missing <= in.maxWritableBytes()
          && in.refCnt() == 1
          && !in.isReadOnly()) {
        in.ensureWritable(missing);
      }
      return;
    }
    in.skipBytes(4);
    traffic.read(4L + length);
    out.add(in.readRetainedSlice(length));
  }

  private void checkLength(int length) {
    if (length <= 0) {
      throw fail(
          new ProtocolException(
              "Frame length should be positive: " + length + " (from " + peer + ")"));
    }
    if (length > maxFrame) {
      throw fail(FrameTooLargeException.of(String.valueOf(peer), length, maxFrame, messageLimit));
    }
  }

  /**
   * Copies what has arrived of the large frame; emits it when complete. Memory for a larger array
   * is taken from the budget before it is allocated; when the budget refuses, reading pauses and
   * what has arrived waits in the read buffer.
   */
  private void continueArriving(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int have = arriving.arrayCapacity();
    int want = arriving.wantedCapacity(in.readableBytes(), spares);
    if (want > have) {
      if (budget.tryReserve(this, want - have)) {
        charged += want - have;
        arriving.growTo(want, spares);
      } else if (!waitingForBudget) {
        pause(ctx, want - have, true);
      }
    }
    arriving.fill(in);
    if (arriving.isComplete()) {
      traffic.read(4L + arriving.length());
      out.add(arriving.frame());
      arriving = null;
      budget.frameDone(this);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    super.channelRead(ctx, msg);
    account(ctx);
  }

  /** Charges the budget with what this connection now buffers of a frame still arriving. */
  private void account(ChannelHandlerContext ctx) {
    long held =
        failed
            ? 0
            : internalBuffer().readableBytes() + (arriving == null ? 0 : arriving.capacity());
    long delta = held - charged;
    if (delta == 0) {
      return;
    }
    charged = held;
    if (!budget.charge(this, delta, held > 0) && !waitingForBudget) {
      pause(ctx, 0, held > 0);
    }
    if (held > 0 && !ticking) {
      ticking = true;
      deadline.start(traffic.framesIn(), now(ctx));
      scheduleTick(ctx);
    }
  }

  /**
   * Stops reading until {@code need} more bytes can be had from the budget (or, {@code midFrame},
   * the overdraft).
   */
  private void pause(ChannelHandlerContext ctx, long need, boolean midFrame) {
    waitingForBudget = true;
    deadline.paused(now(ctx));
    gate.close(ReadGate.BUDGET);
    if (!pausedOnce) {
      pausedOnce = true;
      LOG.info(
          "Paused reading from {}: the env's memory for frames still arriving is spent ({} of {}"
              + " bytes, spark.rpc.io.frameBudget); it resumes as memory frees up",
          peer,
          budget.used(),
          budget.limit());
    }
    Runnable wake = () -> ctx.executor().execute(() -> resume(ctx));
    if (midFrame) {
      budget.await(this, need, wake);
    } else {
      budget.awaitUnderBudget(this, wake);
    }
  }

  /** Memory freed up: read again, starting with what already waits in the read buffer. */
  private void resume(ChannelHandlerContext ctx) {
    if (!waitingForBudget || !ctx.channel().isActive()) {
      budget.disown(this); // it may have been handed the overdraft as it went
      return;
    }
    waitingForBudget = false;
    deadline.resumed(now(ctx));
    gate.open(ReadGate.BUDGET);
    try {
      channelRead(ctx, Unpooled.EMPTY_BUFFER);
    } catch (Exception e) {
      ctx.fireExceptionCaught(e);
    }
  }

  private void scheduleTick(ChannelHandlerContext ctx) {
    long every = Math.max(1, frameTimeout.toNanos() / TICKS);
    ctx.executor().schedule(() -> tick(ctx), every, TimeUnit.NANOSECONDS);
  }

  private static long now(ChannelHandlerContext ctx) {
    return ctx.executor().ticker().nanoTime();
  }

  /**
   * A quarter of the frame timeout has passed: has the frame that was arriving completed, or has
   * reading run for the whole timeout since one last did?
   */
  private void tick(ChannelHandlerContext ctx) {
    if (failed || charged == 0 || !ctx.channel().isActive()) {
      ticking = false;
      return;
    }
    if (deadline.expired(traffic.framesIn(), now(ctx))) {
      ticking = false;
      String what = arriving != null ? arriving.progress() : partialProgress();
      failed = true;
      release();
      ctx.fireExceptionCaught(
          new ProtocolException(
              "Peer "
                  + peer
                  + " sent "
                  + what
                  + " of a frame, and the rest "
                  + "did not arrive within "
                  + RpcTimeout.of(frameTimeout).describe()
                  + " (spark.rpc.io.frameTimeout)"));
      return;
    }
    scheduleTick(ctx);
  }

  private String partialProgress() {
    ByteBuf in = internalBuffer();
    return in.readableBytes() < 4
        ? in.readableBytes() + " bytes of a length field"
        : (in.readableBytes() - 4) + " of its " + in.getInt(in.readerIndex()) + " bytes";
  }

  private void release() {
    budget.release(this, charged);
    charged = 0;
    waitingForBudget = false;
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    arriving = null;
    release();
  }

  private RuntimeException fail(RuntimeException e) {
    failed = true;
    return e;
  }
}
