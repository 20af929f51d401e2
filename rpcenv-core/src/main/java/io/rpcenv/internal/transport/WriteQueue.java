package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.FileRegion;
import io.rpcenv.RpcBackpressureException;
import io.rpcenv.internal.call.PendingAsk;
import io.rpcenv.internal.metrics.TransportMetrics;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What one connection has to write. Any thread queues typed commands ({@link QueuedWrite}); the
 * event loop drains them with one flush per batch, so a burst of sends costs one wake-up and one
 * system call. Messages go through their endpoint's window: written if it has room, held there
 * otherwise, and released as credit comes back. On the event loop with nothing queued ahead (an
 * inline reply, an ask from a callback) a command is written straight away, flushed with the rest
 * of the batch.
 */
final class WriteQueue {
  private final Connection connection;
  private final TransportMetrics metrics;
  private final OutstandingAsks asks;
  private final SendWindows windows;

  /** Multi-consumer: a sender that finds the connection closed releases what is queued itself. */
  private final Queue<QueuedWrite> queue = new ConcurrentLinkedQueue<>();

  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final Runnable drainTask = this::drain;

  /**
   * Most commands one drain writes before the event loop gets to read again: a sender that keeps
   * the queue full must not keep the credit and replies it waits for from being read.
   */
  static final int DRAIN_BATCH = 4096;

  private final long maxBytes;

  /** Written straight to the channel, awaiting the next drain's flush; event loop only. */
  private boolean unflushed;

  WriteQueue(
      Connection connection,
      OutstandingAsks asks,
      SendWindows windows,
      long maxBytes,
      TransportMetrics metrics) {
    this.metrics = metrics;
    this.connection = connection;
    this.asks = asks;
    this.windows = windows;
    this.maxBytes = maxBytes;
  }

  /**
   * Queues a one-way message: refused with {@link RpcBackpressureException} (frame released) when
   * its endpoint or the connection has no room; false if the connection has closed.
   */
  boolean send(SendWindow window, ByteBuf frame, Consumer<PendingAsk<?>> failClosed) {
    windows.checkRoom(window, frame, "Nothing was sent");
    checkRoom(frame);
    return enqueue(new OutboundMessage(window, frame, null), failClosed);
  }

  /**
   * Queues an ask's request, which takes one of the connection's places for outstanding asks and is
   * registered under {@code id} as waiting for its reply when written. If it cannot be queued, the
   * ask fails (with the reason) and the frame is released.
   */
  void ask(
      SendWindow window,
      long id,
      PendingAsk<?> ask,
      ByteBuf frame,
      Consumer<PendingAsk<?>> failClosed) {
    if (!asks.take(ask)) {
      frame.release();
      return;
    }
    try {
      windows.checkRoom(window, frame, "The " + ask.describe() + " was not sent");
      checkRoom(frame);
    } catch (RpcBackpressureException e) {
      asks.giveBack();
      ask.fail(e);
      return;
    }
    ask.register(asks, id);
    enqueue(new OutboundMessage(window, frame, ask), failClosed); // if closed, the ask has failed
  }

  /**
   * Refuses {@code frame} (releasing it) if it would take what waits to be written to the peer
   * beyond {@code spark.rpc.outbox.maxBytes}: the peer is not keeping up, or the connection is
   * stalled.
   */
  void checkRoom(ByteBuf frame) {
    long pendingNow = pendingBytes();
    if (pendingNow + frame.readableBytes() > maxBytes) {
      frame.release();
      metrics.backpressure();
      throw new RpcBackpressureException(
          pendingNow
              + " bytes already wait to be written to "
              + connection.peerAddress()
              + ", and "
              + frame.readableBytes()
              + " more would exceed "
              + "spark.rpc.outbox.maxBytes ("
              + maxBytes
              + " bytes); the peer is not keeping up or the connection is "
              + "stalled. Nothing was sent");
    }
  }

  /** Whether an answer of {@code bytes} fits within {@code spark.rpc.outbox.maxBytes}. */
  boolean hasRoomForReply(long bytes) {
    return pendingBytes() + bytes <= maxBytes;
  }

  /**
   * Queues {@code item} and makes sure a drain follows once the connection is ready; returns false
   * (having released what the closed connection holds) if it has closed. The state is read after
   * the offer, so a close that races with it either sees the item or is seen here.
   */
  boolean enqueue(QueuedWrite item, Consumer<PendingAsk<?>> failClosed) {
    Channel ch = writableNow();
    if (ch != null) {
      if (write(ch, item)) {
        if (item instanceof CreditGrant) {
          // Credit goes out now, not after this read batch: the sender may be waiting for it.
          ch.flush();
          unflushed = false;
        } else {
          unflushed = true;
          scheduleDrain();
        }
      }
      return true;
    }
    queuedBytes.addAndGet(item.bytes());
    queue.offer(item);
    ConnectionState s = connection.state();
    if (s == ConnectionState.READY) {
      scheduleDrain();
    } else if (s == ConnectionState.CLOSED) {
      releaseQueued(failClosed); // the event loop's close releases what windows hold
      return false;
    }
    return true;
  }

  /**
   * Queues a reply or failure frame, and the file bytes that end it unless null; on the event loop
   * with nothing queued ahead (an inline endpoint answering) it is written at once, without a
   * command object. False if closed.
   */
  boolean enqueueReply(ByteBuf frame, FileRegion tail, Consumer<PendingAsk<?>> failClosed) {
    Channel ch = writableNow();
    if (ch != null) {
      QueuedWrite.Reply.write(ch, connection.traffic, frame, tail);
      unflushed = true;
      scheduleDrain();
      return true;
    }
    return enqueue(new QueuedWrite.Reply(frame, tail), failClosed);
  }

  /**
   * The channel, when a command may be written straight to it: on the event loop of a ready
   * connection with nothing queued ahead (an inline reply, an ask from a callback); else null.
   */
  private Channel writableNow() {
    Channel ch = connection.channel();
    return connection.state() == ConnectionState.READY
            && ch != null
            && ch.eventLoop().inEventLoop()
            && queue.isEmpty()
        ? ch
        : null;
  }

  /** Bytes queued here and in the channel, not yet written to the socket. */
  long pendingBytes() {
    long inChannel = 0;
    Channel ch = connection.channel();
    if (ch != null) {
      ChannelOutboundBuffer buf = ch.unsafe().outboundBuffer();
      if (buf != null) {
        inChannel = buf.totalPendingWriteBytes();
      }
    }
    return queuedBytes.get() + inChannel;
  }

  void scheduleDrain() {
    if (!drainScheduled.get() && drainScheduled.compareAndSet(false, true)) {
      Channel ch = connection.channel();
      if (ch == null) {
        drainScheduled.set(false);
        return;
      }
      ch.eventLoop().execute(drainTask);
    }
  }

  /** Writes everything queued, then flushes once. Event loop. */
  void drain() {
    // Clear the flag first: an item queued after this point schedules another drain.
    drainScheduled.set(false);
    if (drainBatch() == DRAIN_BATCH) {
      scheduleDrain(); // more waits: the event loop reads (credit, replies) before the next batch
    }
  }

  /** Writes everything queued, batch after batch; before a CLOSE frame. Event loop. */
  void drainAll() {
    drainScheduled.set(false);
    while (drainBatch() == DRAIN_BATCH) {
      // until the queue is empty
    }
  }

  /** Writes up to {@link #DRAIN_BATCH} queued commands, flushes once; returns how many it took. */
  private int drainBatch() {
    Channel ch = connection.channel();
    if (connection.state() != ConnectionState.READY || ch == null) {
      return 0;
    }
    QueuedWrite item;
    boolean wrote = unflushed;
    unflushed = false;
    int taken = 0;
    long bytes = 0;
    while (taken < DRAIN_BATCH && (item = queue.poll()) != null) {
      taken++;
      bytes += item.bytes();
      wrote |= write(ch, item);
    }
    if (bytes != 0) {
      queuedBytes.addAndGet(-bytes); // once per batch, not per frame
    }
    if (wrote) {
      ch.flush();
    }
    return taken;
  }

  /**
   * Writes one command without flushing: a reply as it is, credit as a CREDIT frame, a message if
   * its endpoint's window has room (it is held there otherwise). Returns whether anything was
   * written. Event loop.
   */
  private boolean write(Channel ch, QueuedWrite item) {
    if (item instanceof OutboundMessage m) {
      if (m.abandoned()) { // timed out or aborted: not worth sending any more
        m.takeFrame().release();
        m.ask.freeSlot();
        return false;
      }
      return m.window.admit(m, connection.peerHello()) && writeAdmitted(ch, m);
    }
    if (item instanceof CreditGrant grant) {
      writeFrame(ch, grant.window().creditFrame(ch.alloc(), grant.count(), grant.weight()));
      return true;
    }
    QueuedWrite.Reply r = (QueuedWrite.Reply) item;
    QueuedWrite.Reply.write(ch, connection.traffic, r.frame(), r.tail());
    return true;
  }

  /**
   * The peer gave {@code count} credits weighing {@code bytes} back for {@code window}: writes what
   * now fits. Event loop.
   */
  void credited(SendWindow window, int count, long bytes) {
    window.credit(count, bytes);
    Channel ch = connection.channel();
    boolean wrote = false;
    OutboundMessage m;
    while ((m = window.nextReleased()) != null) {
      wrote |= writeAdmitted(ch, m);
    }
    if (wrote) {
      ch.flush(); // at once: the receiver has handled what it had, and waits for these
      unflushed = false;
    }
  }

  /** Writes a message its window has admitted, registering an ask as waiting for its reply. */
  private boolean writeAdmitted(Channel ch, OutboundMessage m) {
    ByteBuf frame = m.takeFrame();
    if (m.ask != null) {
      if (m.ask.isClaimed()) {
        frame.release();
        m.ask.freeSlot();
        m.window.unadmit(m);
        return false;
      }
      asks.written(m.ask);
      connection.keepalive().askWritten();
    }
    m.window.written(m.ask == null);
    writeFrame(ch, frame);
    return true;
  }

  /**
   * Releases every queued command; asks among them fail with {@code failClosed}. Returns how many
   * one-way messages were never written.
   */
  int releaseQueued(Consumer<PendingAsk<?>> failClosed) {
    int n = 0;
    QueuedWrite item;
    while ((item = queue.poll()) != null) {
      queuedBytes.addAndGet(-item.bytes());
      if (item instanceof QueuedWrite.Reply reply) {
        QueuedWrite.Reply.release(reply.frame(), reply.tail());
      } else if (item instanceof OutboundMessage m) {
        n += release(m, failClosed);
      }
    }
    return n;
  }

  /** Releases a message never written; an ask fails. Returns 1 for a one-way message, else 0. */
  static int release(OutboundMessage m, Consumer<PendingAsk<?>> failClosed) {
    m.takeFrame().release();
    if (m.ask == null) {
      return 1;
    }
    m.ask.freeSlot();
    if (m.ask.claim()) {
      failClosed.accept(m.ask);
    }
    return 0;
  }

  /** Writes {@code frame} without flushing, counting it. Event loop. */
  private void writeFrame(Channel ch, ByteBuf frame) {
    connection.traffic.wrote(frame.readableBytes());
    ch.write(frame, ch.voidPromise());
  }
}
