package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.rpcenv.RpcBackpressureException;
import io.rpcenv.internal.call.PendingAsk;
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
 * inline reply, an ask from a callback) a command is written straight away, flushed with the
 * rest of the batch.
 */
final class WriteQueue {
  private final Connection connection;
  private final OutstandingAsks asks;
  /** Multi-consumer: a sender that finds the connection closed releases what is queued itself. */
  private final Queue<QueuedWrite> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final Runnable drainTask = this::drain;
  private final long maxBytes;
  /** Written straight to the channel, awaiting the next drain's flush; event loop only. */
  private boolean unflushed;

  WriteQueue(Connection connection, OutstandingAsks asks, long maxBytes) {
    this.connection = connection;
    this.asks = asks;
    this.maxBytes = maxBytes;
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
      throw new RpcBackpressureException(pendingNow + " bytes already wait to be written to "
          + connection.peerAddress() + ", and " + frame.readableBytes() + " more would exceed "
          + "spark.rpc.outbox.maxBytes (" + maxBytes + " bytes); the peer is not keeping up or the connection is "
          + "stalled. Nothing was sent");
    }
  }

  /** Whether an answer fits within {@code spark.rpc.outbox.maxBytes}. */
  boolean hasRoomForReply(ByteBuf frame) {
    return pendingBytes() + frame.readableBytes() <= maxBytes;
  }

  /**
   * Queues {@code item} and makes sure a drain follows once the connection is ready; returns
   * false (having released what the closed connection holds) if it has closed. The state is
   * read after the offer, so a close that races with it either sees the item or is seen here.
   */
  boolean enqueue(QueuedWrite item, Consumer<PendingAsk<?>> failClosed) {
    Channel ch = connection.channel();
    if (connection.state() == ConnectionState.READY && ch != null && ch.eventLoop().inEventLoop()
        && queue.isEmpty()) {
      if (write(ch, item)) {
        unflushed = true;
        scheduleDrain();
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
    Channel ch = connection.channel();
    if (connection.state() != ConnectionState.READY || ch == null) {
      return;
    }
    QueuedWrite item;
    boolean wrote = unflushed;
    unflushed = false;
    while ((item = queue.poll()) != null) {
      queuedBytes.addAndGet(-item.bytes());
      wrote |= write(ch, item);
    }
    if (wrote) {
      ch.flush();
    }
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
      return m.window.admit(m, connection.peerWindow()) && writeAdmitted(ch, m);
    }
    if (item instanceof CreditGrant grant) {
      grant.window().granted(grant.count());
      ch.write(Frames.credit(ch.alloc(), grant.window().nameUtf8(), grant.count()), ch.voidPromise());
      return true;
    }
    ch.write(((QueuedWrite.Reply) item).frame(), ch.voidPromise());
    return true;
  }

  /** The peer gave {@code count} credits back for {@code window}: writes what now fits. Event loop. */
  void credited(SendWindow window, int count) {
    window.credit(count);
    Channel ch = connection.channel();
    boolean wrote = false;
    OutboundMessage m;
    while ((m = window.nextReleased()) != null) {
      wrote |= writeAdmitted(ch, m);
    }
    if (wrote) {
      unflushed = true;
      scheduleDrain();
    }
  }

  /** Writes a message its window has admitted, registering an ask as waiting for its reply. */
  private boolean writeAdmitted(Channel ch, OutboundMessage m) {
    ByteBuf frame = m.takeFrame();
    if (m.ask != null) {
      if (m.ask.isClaimed()) {
        frame.release();
        m.ask.freeSlot();
        m.window.unadmit();
        return false;
      }
      asks.written(m.ask);
      connection.keepalive().askWritten();
    }
    m.window.written(m.ask == null);
    ch.write(frame, ch.voidPromise());
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
        reply.frame().release();
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
}
