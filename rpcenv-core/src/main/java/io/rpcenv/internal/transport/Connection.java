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
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection to a peer env, used in both directions. Frames from any thread go into a
 * queue that the event loop drains with one flush per batch, so a burst of sends costs one
 * wake-up and one system call. Frames queued before the handshake completes wait in the same
 * queue. Asks written here stay registered until their reply, failure or timeout; when the
 * connection closes, every one of them fails at once.
 */
public final class Connection implements PendingAsk.Owner {
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

  private static final int CONNECTING = 0;
  private static final int READY = 1;
  private static final int CLOSED = 2;

  private final Transport transport;
  private final RpcAddress target;
  /** Frames to write: a ByteBuf, or a PendingAsk holding its request. */
  private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  /** Asks written and waiting for replies; touched on the event loop only. */
  private final LongObjectHashMap<PendingAsk<?>> pending = new LongObjectHashMap<>();
  /** Asks queued or waiting for replies, for spark.rpc.io.maxOutstandingAsks. */
  private final AtomicInteger outstanding = new AtomicInteger();
  private final AtomicLong requestIds = new AtomicLong();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicInteger inflight = new AtomicInteger();
  private final Runnable drainTask = this::drain;
  private final Runnable resumeReading = this::resumeReading;

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
  /** Frames were written straight to the channel and await the next drain's flush; event loop only. */
  private boolean unflushed;
  /** Frames read and asks written since the handshake, for the keepalive; event loop only. */
  private long framesRead;
  private long asksWritten;
  private Keepalive keepalive;
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
   * Queues a one-way or reply frame. Throws {@link RpcConnectionException} (releasing the frame)
   * if the connection has closed.
   */
  public void send(ByteBuf frame) {
    checkOutbox(frame);
    if (!enqueue(frame, frame.readableBytes())) {
      throw closedException("Cannot send to " + peerAddress() + ": the connection is closed");
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
   * Queues {@code ask}'s request frame; the event loop registers it under {@code id} when it
   * writes it. If the connection has closed, the ask fails with the reason.
   */
  public void ask(long id, PendingAsk<?> ask, ByteBuf frame) {
    int max = transport.settings().maxOutstandingAsks();
    if (outstanding.incrementAndGet() > max) {
      outstanding.decrementAndGet();
      frame.release();
      ask.fail(new RpcBackpressureException("Too many asks to " + peerAddress() + " are outstanding (" + max
          + ", spark.rpc.io.maxOutstandingAsks); the " + ask.describe() + " was not sent"));
      return;
    }
    try {
      checkOutbox(frame);
    } catch (RpcBackpressureException e) {
      outstanding.decrementAndGet();
      ask.fail(e);
      return;
    }
    ask.register(this, id);
    ask.attachRequest(frame);
    enqueue(ask, frame.readableBytes()); // if closed, releaseQueued has failed the ask
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

  /** A message from the peer was handed to the env (event loop); stop reading if too many are in progress. */
  void inboundStarted() {
    ReadGate g = gate;
    if (inflight.incrementAndGet() > transport.settings().maxInflightMessages() && !g.isClosedBy(ReadGate.INFLIGHT)) {
      g.close(ReadGate.INFLIGHT);
      LOG.info("Paused reading from {}: {} messages from it are in progress (spark.rpc.io.maxInflightMessages)",
          peerAddress(), inflight.get());
    }
  }

  /** A message from the peer was answered or handled; resume reading when half the limit is free. */
  public void inboundDone() {
    ReadGate g = gate;
    if (inflight.decrementAndGet() <= transport.settings().maxInflightMessages() / 2 && g != null
        && g.isClosedBy(ReadGate.INFLIGHT)) {
      channel.eventLoop().execute(resumeReading);
    }
  }

  private void resumeReading() {
    if (gate.isClosedBy(ReadGate.INFLIGHT) && inflight.get() <= transport.settings().maxInflightMessages() / 2) {
      gate.open(ReadGate.INFLIGHT);
    }
  }

  /** Whether reading from the peer is paused because too many of its messages are in progress. */
  public boolean isReadingPaused() {
    ReadGate g = gate;
    return g != null && g.isClosedBy(ReadGate.INFLIGHT);
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
      releaseQueued(null);
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
    int undelivered = releaseQueued(failAsksWith);
    int failed = 0;
    Channel ch = channel;
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
    if (undelivered > 0 || failed > 0) {
      LOG.warn("Connection to {} closed{}: {} outstanding asks failed, {} queued frames not delivered",
          peerAddress(), reasonSuffix(), failed, undelivered);
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
      queuedBytes.addAndGet(-(item instanceof PendingAsk<?> ask ? ask.requestBytes() : ((ByteBuf) item)
          .readableBytes()));
      wrote |= write(ch, item);
    }
    if (wrote) {
      ch.flush();
    }
  }

  /**
   * Writes one frame or ask (without flushing), registering the ask as waiting for its reply; an
   * ask that timed out or was aborted before this point is dropped instead. Event loop only.
   */
  private boolean write(Channel ch, Object item) {
    ByteBuf frame;
    if (item instanceof PendingAsk<?> ask) {
      frame = ask.takeRequest();
      if (ask.isClaimed()) { // not worth sending any more
        frame.release();
        ask.freeSlot();
        return false;
      }
      pending.put(ask.id(), ask);
      asksWritten++;
    } else {
      frame = (ByteBuf) item;
    }
    ch.write(frame, ch.voidPromise());
    return true;
  }

  /** Releases every queued frame; queued asks fail (with {@code failAsksWith} if given). */
  private int releaseQueued(RpcException failAsksWith) {
    int n = 0;
    Object item;
    while ((item = queue.poll()) != null) {
      ByteBuf frame = item instanceof PendingAsk<?> ask ? ask.takeRequest() : (ByteBuf) item;
      queuedBytes.addAndGet(-frame.readableBytes());
      frame.release();
      n++;
      if (item instanceof PendingAsk<?> ask) {
        ask.freeSlot();
        if (ask.claim()) {
          failClosed(ask, failAsksWith);
        }
      }
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
