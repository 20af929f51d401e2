package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.collection.LongObjectHashMap;
import io.rpcenv.RpcAddress;
import io.rpcenv.RpcBackpressureException;
import io.rpcenv.RpcConnectionException;
import io.rpcenv.RpcException;
import io.rpcenv.internal.call.PendingAsk;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection to a peer env, used in both directions. Frames from any thread go into a
 * queue that the event loop drains with one flush per batch, so a burst of sends costs one
 * wake-up and one system call. Frames queued before the handshake completes wait in the same
 * queue. Requests and one-way messages go through their endpoint's {@link SendWindow}: beyond
 * the peer's window they are held there, per endpoint, while everything else is written. Asks
 * written here stay registered until their reply, failure or timeout; when the connection
 * closes, every one of them fails at once.
 */
public final class Connection implements PendingAsk.Owner {
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

  private static final int CONNECTING = 0;
  private static final int READY = 1;
  private static final int CLOSED = 2;

  private final Transport transport;
  private final RpcAddress target;
  /**
   * What to write: a ByteBuf (replies, failures), an {@link OutboundMessage} or a
   * {@link CreditGrant}. Multi-consumer: a sender that finds the connection closed releases what
   * is queued itself.
   */
  private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
  /** Send windows by endpoint name; created by senders, used on the event loop. */
  private final ConcurrentHashMap<String, SendWindow> windows = new ConcurrentHashMap<>(4);
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  /** Asks written and waiting for replies; touched on the event loop only. */
  private final LongObjectHashMap<PendingAsk<?>> pending = new LongObjectHashMap<>();
  /** Asks queued or waiting for replies, for spark.rpc.io.maxOutstandingAsks. */
  private final AtomicInteger outstanding = new AtomicInteger();
  private final AtomicLong requestIds = new AtomicLong();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final Runnable drainTask = this::drain;

  private volatile int state = CONNECTING;
  private volatile Channel channel;
  private volatile RpcAddress socketAddress;
  private volatile Hello peer;
  /** An accepted connection's verified listen address; see {@link #peerListenAddress()}. */
  private volatile RpcAddress verifiedListen;
  private volatile String closeReason;
  private volatile Throwable closeCause;
  private volatile RpcException failure;
  private volatile ReadGate gate;
  /** This env closed the connection in order: what it wrote before its CLOSE is read by the peer. */
  private volatile boolean closedInOrder;
  /** Frames were written straight to the channel and await the next drain's flush; event loop only. */
  private boolean unflushed;
  /** Frames read and asks written since the handshake, for the keepalive; event loop only. */
  private long framesRead;
  private long asksWritten;
  private Keepalive keepalive;
  private final LateReplies lateReplies = new LateReplies(this);
  private boolean announced;
  boolean countedAsHandshaking;
  volatile int connectAttempts;

  Connection(Transport transport, RpcAddress target) {
    this.transport = transport;
    this.target = target;
  }

  /** Whether this env opened the connection. */
  public boolean isOutbound() {
    return target != null;
  }

  /**
   * The peer's listen address as far as it is known to be true: the address dialed, for a
   * connection this env opened; for an accepted one, the address the peer claimed in its HELLO
   * once the transport has verified it (see {@link Transport}); else null (a client-mode peer, or
   * a claim that did not hold).
   */
  public RpcAddress peerListenAddress() {
    return target != null ? target : verifiedListen;
  }

  /** The listen address the peer claimed in its HELLO, verified or not; null before the handshake. */
  RpcAddress claimedListenAddress() {
    Hello h = peer;
    return h != null ? h.listenAddress() : null;
  }

  /** Records the peer's claimed listen address as verified, or (null) no longer so. */
  void verifiedListenAddress(RpcAddress address) {
    verifiedListen = address;
  }

  /** The peer's env id, or 0 before the handshake. */
  public long peerEnvId() {
    Hello h = peer;
    return h == null ? 0 : h.envId();
  }

  /** The remote end of the socket as host string and port (the dialed address for outbound). */
  public RpcAddress socketAddress() {
    RpcAddress s = socketAddress;
    return s != null ? s : target;
  }

  /**
   * The best name for the peer in messages, and the sender address endpoints see: its verified
   * listen address, else its socket address.
   */
  public RpcAddress peerAddress() {
    RpcAddress a = peerListenAddress();
    return a != null ? a : socketAddress();
  }

  public boolean isClosed() {
    return state == CLOSED;
  }

  public long nextRequestId() {
    return requestIds.incrementAndGet();
  }

  /**
   * Queues a one-way frame to {@code endpoint}. Throws {@link RpcBackpressureException} if it does
   * not fit in the outbox, or in what may be held for that endpoint while its window is closed,
   * and {@link RpcConnectionException} if the connection has closed; the frame is released then.
   */
  public void send(String endpoint, ByteBuf frame) {
    SendWindow window = window(endpoint);
    checkHeld(window, frame, "Nothing was sent");
    checkOutbox(frame);
    if (!enqueue(new OutboundMessage(window, frame, null), frame.readableBytes())) {
      throw closedException("Cannot send to " + peerAddress() + ": the connection is closed");
    }
  }

  private SendWindow window(String endpoint) {
    SendWindow w = windows.get(endpoint);
    return w != null ? w : windows.computeIfAbsent(endpoint, SendWindow::new);
  }

  /**
   * Refuses a frame for an endpoint whose window is closed and that already has
   * {@code spark.rpc.outbox.maxBytes} held: that endpoint is not keeping up with its senders.
   */
  private void checkHeld(SendWindow window, ByteBuf frame, String outcome) {
    long max = transport.settings().maxOutboxBytes();
    long held = window.heldBytes();
    if (held + frame.readableBytes() > max) {
      frame.release();
      throw new RpcBackpressureException("Endpoint '" + window.endpoint() + "' at " + peerAddress()
          + " is not keeping up: " + held + " bytes of messages to it wait for it to handle those in progress "
          + "(spark.rpc.io.maxInflightMessages of the receiving env), and " + frame.readableBytes()
          + " more would exceed spark.rpc.outbox.maxBytes (" + max + " bytes). " + outcome);
    }
  }

  /**
   * Queues an answer to the peer's ask. A peer that lets our answers pile up beyond
   * {@code spark.rpc.outbox.maxBytes} is not reading: the connection is closed rather than
   * buffering without end. Never throws.
   */
  public void sendReply(ByteBuf frame) {
    if (pendingBytes() + frame.readableBytes() > transport.settings().maxOutboxBytes()) {
      frame.release();
      String why = "answers to " + peerAddress() + " exceed spark.rpc.outbox.maxBytes ("
          + transport.settings().maxOutboxBytes() + " bytes): the peer is not reading them";
      LOG.warn("Closing the connection: {}", why);
      reason(why, null);
      Channel ch = channel;
      if (ch != null) {
        ch.close();
      }
      return;
    }
    if (!enqueue(frame, frame.readableBytes())) {
      LOG.debug("Answer not sent: the connection to {} is closed", peerAddress());
    }
  }

  /**
   * Queues {@code ask}'s request frame to {@code endpoint}; the event loop registers it under
   * {@code id} when it writes it. If it cannot be sent (see {@link #send}), the ask fails.
   */
  public void ask(String endpoint, long id, PendingAsk<?> ask, ByteBuf frame) {
    int max = transport.settings().maxOutstandingAsks();
    if (outstanding.incrementAndGet() > max) {
      outstanding.decrementAndGet();
      frame.release();
      ask.fail(new RpcBackpressureException("Too many asks to " + peerAddress() + " are outstanding (" + max
          + ", spark.rpc.io.maxOutstandingAsks); the " + ask.describe() + " was not sent"));
      return;
    }
    SendWindow window = window(endpoint);
    try {
      checkHeld(window, frame, "The " + ask.describe() + " was not sent");
      checkOutbox(frame);
    } catch (RpcBackpressureException e) {
      outstanding.decrementAndGet();
      ask.fail(e);
      return;
    }
    ask.register(this, id);
    enqueue(new OutboundMessage(window, frame, ask), frame.readableBytes()); // if closed, the ask has failed
  }

  /** Queues a CREDIT frame; dropped if the connection has closed. Any thread. */
  void grantCredit(CreditGrant grant) {
    enqueue(grant, 0);
  }

  /** The peer handled {@code count} more messages to {@code endpoint}: write what its window now has room for. */
  void creditReceived(String endpoint, int count) {
    SendWindow w = windows.get(endpoint);
    if (w == null) {
      return; // credit for an endpoint never written to: nothing to release
    }
    w.credit(count);
    Channel ch = channel;
    boolean wrote = false;
    OutboundMessage m;
    while ((m = w.nextReleased()) != null) {
      wrote |= writeAdmitted(ch, m);
    }
    if (wrote) {
      unflushed = true;
      scheduleDrain();
    }
  }

  /** Fails an ask that was never written, or never answered, because the connection closed. */
  private void failClosed(PendingAsk<?> ask, RpcException failAsksWith) {
    RpcException f = failAsksWith != null ? failAsksWith : failure;
    if (f != null) {
      ask.fail(f);
    } else {
      ask.failConnectionClosed(peerAddress(), "Connection to " + peerAddress() + " closed" + reasonSuffix(),
          closeCause);
    }
  }

  /** Bytes queued here and in the channel, not yet written to the socket. */
  long pendingBytes() {
    long inChannel = 0;
    Channel ch = channel;
    if (ch != null) {
      ChannelOutboundBuffer buf = ch.unsafe().outboundBuffer();
      if (buf != null) {
        inChannel = buf.totalPendingWriteBytes();
      }
    }
    return queuedBytes.get() + inChannel;
  }

  private void checkOutbox(ByteBuf frame) {
    long max = transport.settings().maxOutboxBytes();
    long pendingNow = pendingBytes();
    if (pendingNow + frame.readableBytes() > max) {
      frame.release();
      throw new RpcBackpressureException(pendingNow + " bytes already wait to be written to " + peerAddress()
          + ", and " + frame.readableBytes() + " more would exceed spark.rpc.outbox.maxBytes (" + max + " bytes); "
          + "the peer is not keeping up or the connection is stalled. Nothing was sent");
    }
  }

  /** Whether the event loop reads from this connection; set once its channel exists. */
  ReadGate readGate() {
    return gate;
  }

  /** Records the error that everything depending on this connection should fail with; the first wins. */
  void fail(RpcException error) {
    if (failure == null) {
      failure = error;
    }
  }

  /**
   * Queues {@code frame} and makes sure a drain follows once the connection is ready; returns
   * false (having released what the closed connection holds) if it has closed. The state is
   * read after the offer, so a close that races with it either sees the frame or is seen here.
   */
  private boolean enqueue(Object item, int bytes) {
    Channel ch = channel;
    if (state == READY && ch != null && ch.eventLoop().inEventLoop() && queue.isEmpty()) {
      // On the event loop with nothing queued ahead (an inline reply, an ask from a callback):
      // straight to the channel, flushed once with the rest of this batch.
      if (write(ch, item)) {
        unflushed = true;
        scheduleDrain();
      }
      return true;
    }
    queuedBytes.addAndGet(bytes);
    queue.offer(item);
    int s = state;
    if (s == READY) {
      scheduleDrain();
    } else if (s == CLOSED) {
      releaseQueued(null, false); // the event loop's close releases what is held
      return false;
    }
    return true;
  }

  /** Drops a completed (timed out, aborted) ask from the asks waiting for replies, on the event loop. */
  @Override
  public void forget(long id, PendingAsk<?> ask) {
    Channel ch = channel;
    if (ch == null) {
      return; // never written: the drain or the close drops it from the queue
    }
    if (ch.eventLoop().inEventLoop()) {
      unregister(id, ask);
    } else {
      try {
        ch.eventLoop().execute(() -> unregister(id, ask));
      } catch (RejectedExecutionException envStopped) {
        // the event loop has ended, and every connection with it
      }
    }
  }

  @Override
  public void slotFreed() {
    outstanding.decrementAndGet();
  }

  private void unregister(long id, PendingAsk<?> ask) {
    if (pending.get(id) == ask) {
      pending.remove(id);
      ask.freeSlot();
    }
  }

  /**
   * The ask waiting for {@code id}, removed and claimed for completion; or null if it is no
   * longer outstanding (it timed out or was aborted). Event loop only.
   */
  PendingAsk<?> takePending(long id) {
    PendingAsk<?> ask = pending.remove(id);
    if (ask == null) {
      return null;
    }
    ask.freeSlot();
    return ask.claim() ? ask : null;
  }

  int outstandingAsks() {
    return outstanding.get();
  }

  Channel channel() {
    return channel;
  }

  void channelCreated(Channel ch, RpcAddress remote, ReadGate readGate) {
    this.gate = readGate;
    this.channel = ch;
    this.socketAddress = remote;
  }

  /** Handshake done: start writing. */
  void ready(Hello peerHello) {
    this.peer = peerHello;
    this.state = READY;
    Channel ch = channel;
    TransportSettings s = transport.settings();
    keepalive = new Keepalive(this, ch, s.connectionTimeout(), s.keepalive());
    keepalive.start();
    scheduleDrain();
  }

  /** A frame arrived (event loop). */
  void frameRead() {
    framesRead++;
  }

  long framesRead() {
    return framesRead;
  }

  long asksWritten() {
    return asksWritten;
  }

  /** Asks written and waiting for replies (event loop). */
  int asksAwaitingReplies() {
    return pending.size();
  }

  /** Replies that came after their asks stopped waiting; event loop. */
  LateReplies lateReplies() {
    return lateReplies;
  }

  /** The peer answered our keepalive PING (event loop). */
  void pongReceived() {
    keepalive.pongReceived();
  }

  /** Whether the handshake has completed and the connection is not closed. */
  public boolean isReady() {
    return state == READY;
  }

  /** How many TCP connection attempts this (outbound) connection has made. */
  public int connectAttempts() {
    return connectAttempts;
  }

  /** Whether {@link TransportHost#onConnected} was called for this connection. */
  boolean announced() {
    return announced;
  }

  void announced(boolean value) {
    announced = value;
  }

  /** Records why the connection is going away; the first reason wins. */
  void reason(String reason, Throwable cause) {
    if (closeReason == null) {
      closeReason = reason;
      closeCause = cause;
    }
  }

  /**
   * Marks the connection closed and fails everything that depended on it: queued frames are
   * released and every outstanding ask fails with a connection error naming the peer.
   */
  void closed(RpcException failAsksWith) {
    if (failAsksWith == null) {
      failAsksWith = failure;
    }
    state = CLOSED;
    Keepalive k = keepalive;
    if (k != null) {
      k.stop();
    }
    Channel ch = channel;
    int undelivered = releaseQueued(failAsksWith, ch == null || ch.eventLoop().inEventLoop());
    int failed = 0;
    // Written asks are only ever registered on the event loop; off it (a connection closed before it
    // was ready) there are none, and the channel's own close comes back here on the event loop.
    if (ch == null || ch.eventLoop().inEventLoop()) {
      // Copied first: failing an ask runs its callbacks, which may abort others.
      PendingAsk<?>[] written = pending.values().toArray(new PendingAsk<?>[0]);
      pending.clear();
      for (PendingAsk<?> ask : written) {
        ask.freeSlot();
        if (ask.claim()) {
          failed++;
          failClosed(ask, failAsksWith);
        }
      }
    }
    boolean onLoop = ch == null || ch.eventLoop().inEventLoop();
    if (onLoop) {
      lateReplies.flush(System.nanoTime());
    }
    long unconfirmed = onLoop && !closedInOrder ? unconfirmedOneWays() : 0;
    transport.oneWaysLost(undelivered, unconfirmed);
    if (undelivered > 0 || failed > 0 || unconfirmed > 0) {
      LOG.warn("Connection to {} closed{}: {} outstanding asks failed, {} one-way messages not sent, and up to {} "
          + "sent but not yet confirmed as handled by the peer may be lost", peerAddress(), reasonSuffix(), failed,
          undelivered, unconfirmed);
    }
  }

  /**
   * Writes everything queued now, on the event loop, then a CLOSE frame saying {@code why}, then
   * closes; used by an orderly shutdown, so the peer's waiting asks say that we shut down.
   */
  void flushAndClose(String why) {
    Channel ch = channel;
    if (ch == null) {
      return;
    }
    closedInOrder = true;
    ch.eventLoop().execute(() -> {
      drain();
      ch.writeAndFlush(Frames.close(ch.alloc(), Protocol.CLOSE_OTHER, why)).addListener(written -> ch.close());
    });
  }

  private void scheduleDrain() {
    if (!drainScheduled.get() && drainScheduled.compareAndSet(false, true)) {
      Channel ch = channel;
      if (ch == null) {
        drainScheduled.set(false);
        return;
      }
      ch.eventLoop().execute(drainTask);
    }
  }

  private void drain() {
    // Clear the flag first: a frame queued after this point schedules another drain.
    drainScheduled.set(false);
    Channel ch = channel;
    if (state != READY || ch == null) {
      return;
    }
    Object item;
    boolean wrote = unflushed;
    unflushed = false;
    while ((item = queue.poll()) != null) {
        queuedBytes.addAndGet(-bytes(item));
      wrote |= write(ch, item);
    }
    if (wrote) {
      ch.flush();
    }
  }

  private static int bytes(Object item) {
    if (item instanceof ByteBuf frame) {
      return frame.readableBytes();
    }
    return item instanceof OutboundMessage m ? m.bytes() : 0;
  }

  /**
   * Writes one queued item (without flushing): a frame as it is, a credit grant as a CREDIT frame,
   * and a message if its endpoint's window has room (it is held there otherwise). Returns whether
   * anything was written. Event loop only.
   */
  private boolean write(Channel ch, Object item) {
    if (item instanceof OutboundMessage m) {
      if (m.abandoned()) { // timed out or aborted: not worth sending any more
        m.takeFrame().release();
        m.ask.freeSlot();
        return false;
      }
      return m.window.admit(m, peer.window()) && writeAdmitted(ch, m);
    }
    if (item instanceof CreditGrant grant) {
      grant.window().granted(grant.count());
      ch.write(Frames.credit(ch.alloc(), grant.window().nameUtf8(), grant.count()), ch.voidPromise());
      return true;
    }
    ch.write(item, ch.voidPromise());
    return true;
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
      pending.put(m.ask.id(), m.ask);
      asksWritten++;
    }
    m.window.written(m.ask == null);
    ch.write(frame, ch.voidPromise());
    return true;
  }

  /**
   * Releases every queued frame, and every held one with {@code held} (on the event loop); asks
   * among them fail (with {@code failAsksWith} if given). Returns how many one-way messages were
   * never written.
   */
  private int releaseQueued(RpcException failAsksWith, boolean held) {
    int n = 0;
    Object item;
    while ((item = queue.poll()) != null) {
      queuedBytes.addAndGet(-bytes(item));
      if (item instanceof ByteBuf frame) {
        frame.release();
      } else if (item instanceof OutboundMessage m) {
        n += release(m, failAsksWith);
      }
    }
    for (SendWindow w : held ? windows.values() : List.<SendWindow>of()) {
      OutboundMessage m;
      while ((m = w.pollHeld()) != null) {
        n += release(m, failAsksWith);
      }
    }
    return n;
  }

  private int release(OutboundMessage m, RpcException failAsksWith) {
    m.takeFrame().release();
    if (m.ask == null) {
      return 1;
    }
    m.ask.freeSlot();
    if (m.ask.claim()) {
      failClosed(m.ask, failAsksWith);
    }
    return 0;
  }

  /** One-way messages written that the peer has not confirmed handling; event loop. */
  private long unconfirmedOneWays() {
    long n = 0;
    for (SendWindow w : windows.values()) {
      n += w.unconfirmedOneWays();
    }
    return n;
  }

  private String reasonSuffix() {
    String r = closeReason;
    return r == null ? "" : " (" + r + ")";
  }

  private RpcException closedException(String what) {
    RpcException f = failure;
    return f != null ? f : new RpcConnectionException(what + reasonSuffix(), peerAddress(), closeCause);
  }

  Transport transport() {
    return transport;
  }

  @Override
  public String toString() {
    return "Connection[" + (isOutbound() ? "to " : "from ") + peerAddress() + ", state=" + state + "]";
  }
}
