package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.FileRegion;
import io.rpcenv.RpcAddress;
import io.rpcenv.RpcBackpressureException;
import io.rpcenv.RpcConnectionException;
import io.rpcenv.RpcException;
import io.rpcenv.internal.call.PendingAsk;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection to a peer env, used in both directions: who the peer is, where the connection
 * is in its life, and why it ended. What it writes goes through its {@link WriteQueue}, the asks it
 * carries live in its {@link OutstandingAsks}, messages to each endpoint pass through their {@link
 * SendWindow}, and its {@link Keepalive} watches it once the handshake is done. When it closes,
 * everything that depended on it fails at once.
 */
public final class Connection {
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

  private final Transport transport;
  private final RpcAddress target;
  private final OutstandingAsks asks;
  final SendWindows windows; // this and writes are read by ConnectionFigures for the outbox
  final WriteQueue writes;
  private final InboundFlow inbound;
  final Traffic traffic = new Traffic(); // frames and bytes in and out, for the metrics

  /** Made once: a method reference written at each call would be a new object per message. */
  private final Consumer<PendingAsk<?>> failClosed = this::failClosed;

  private volatile ConnectionState state = ConnectionState.CONNECTING;
  private volatile Channel channel;
  private volatile RpcAddress socketAddress;
  private volatile Hello peer;

  /** An accepted connection's verified listen address; see {@link #peerListenAddress()}. */
  private volatile RpcAddress verifiedListen;

  private volatile String closeReason;
  private volatile Throwable closeCause;
  private volatile RpcException failure;
  private volatile ReadGate gate;

  /** This env closed in order: what it wrote before its CLOSE is read by the peer. */
  private volatile boolean closedInOrder;

  private Keepalive keepalive;
  volatile Runnable peerSeries; // takes this connection's metric series out (ConnectionFigures)

  /** Whether {@link TransportHost#onConnected} was called for this connection (Transport's). */
  boolean announced;

  boolean countedAsHandshaking;
  volatile int connectAttempts;

  Connection(Transport transport, RpcAddress target) {
    this.transport = transport;
    this.target = target;
    TransportSettings s = transport.settings();
    this.asks = new OutstandingAsks(this, transport);
    this.windows = new SendWindows(this, s.maxOutboxBytes(), transport.metrics());
    this.writes = new WriteQueue(this, asks, windows, s.maxOutboxBytes(), transport.metrics());
    this.inbound = new InboundFlow(this, s.maxInflightMessages(), s.maxInflightBytes());
  }

  /** Whether this env opened the connection. */
  public boolean isOutbound() {
    return target != null;
  }

  /**
   * The peer's listen address as far as it is known to be true: the address dialed, for a
   * connection this env opened; for an accepted one, the address the peer claimed in its HELLO once
   * the transport has verified it (see {@link ListenClaims}); else null (a client-mode peer, or a
   * claim that did not hold).
   */
  public RpcAddress peerListenAddress() {
    return target != null ? target : verifiedListen;
  }

  /** The listen address the peer claimed in its HELLO, verified or not; null before it. */
  RpcAddress claimedListenAddress() {
    return peer != null ? peer.listenAddress() : null;
  }

  /** Records the peer's claimed listen address as verified, or (null) no longer so. */
  void verifiedListenAddress(RpcAddress address) {
    verifiedListen = address;
  }

  /** The peer's env id, or 0 before the handshake. */
  public long peerEnvId() {
    return peer == null ? 0 : peer.envId();
  }

  /** What the peer said in its HELLO (among it, each endpoint's window); known once ready. */
  Hello peerHello() {
    return peer;
  }

  /** The remote end of the socket as host string and port (the dialed address for outbound). */
  public RpcAddress socketAddress() {
    RpcAddress s = socketAddress;
    return s != null ? s : target;
  }

  /** The peer's name in messages and for endpoints: verified listen address, else socket's. */
  public RpcAddress peerAddress() {
    RpcAddress a = peerListenAddress();
    return a != null ? a : socketAddress();
  }

  /** Whether file bytes may go from the file to the socket (not under TLS, which encrypts). */
  public boolean sendsFilesDirectly() {
    return transport.settings().tls() == null;
  }

  public boolean isClosed() {
    return state == ConnectionState.CLOSED;
  }

  /** Whether the handshake has completed and the connection is not closed. */
  public boolean isReady() {
    return state == ConnectionState.READY;
  }

  ConnectionState state() {
    return state;
  }

  /** A fresh request id for an ask on this connection. */
  public long nextRequestId() {
    return asks.nextId();
  }

  /**
   * Queues a one-way frame to {@code endpoint}. Throws {@link RpcBackpressureException} if it does
   * not fit in the outbox, or in what may be held for that endpoint while its window is closed, and
   * {@link RpcConnectionException} if the connection has closed; the frame is released then.
   */
  public void send(String endpoint, ByteBuf frame) {
    if (!writes.send(windows.of(endpoint), frame, failClosed)) {
      throw closedException("Cannot send to " + peerAddress() + ": the connection is closed");
    }
  }

  /**
   * Queues {@code ask}'s request frame to {@code endpoint}; it is registered under {@code id} as
   * waiting for its reply when it is written. If it cannot be sent (see {@link #send}), the ask
   * fails.
   */
  public void ask(String endpoint, long id, PendingAsk<?> ask, ByteBuf frame) {
    writes.ask(windows.of(endpoint), id, ask, frame, failClosed);
  }

  /**
   * Queues an answer to the peer's ask, and the file bytes that end it unless null. A peer that
   * lets our answers pile up beyond {@code spark.rpc.outbox.maxBytes} is not reading: the
   * connection is closed rather than buffering without end. Never throws.
   */
  public void sendReply(ByteBuf frame, FileSlice fileBytes) {
    FileRegion tail = fileBytes == null ? null : fileBytes.region();
    if (!writes.hasRoomForReply(QueuedWrite.Reply.bytes(frame, tail))) {
      QueuedWrite.Reply.release(frame, tail);
      String why =
          "answers to "
              + peerAddress()
              + " exceed spark.rpc.outbox.maxBytes ("
              + transport.settings().maxOutboxBytes()
              + " bytes): the peer is not reading them";
      LOG.warn("Closing the connection: {}", why);
      reason(why, null);
      Channel ch = channel;
      if (ch != null) {
        ch.close();
      }
    } else if (!writes.enqueueReply(frame, tail, failClosed)) {
      LOG.debug("Answer not sent: the connection to {} is closed", peerAddress());
    }
  }

  /** Queues a CREDIT frame; dropped if the connection has closed. Any thread. */
  void grantCredit(CreditGrant grant) {
    writes.enqueue(grant, failClosed);
  }

  /**
   * The peer handled {@code count} more messages to {@code endpoint}, weighing {@code bytes}: write
   * what now fits. Event loop.
   */
  void creditReceived(String endpoint, int count, long bytes) {
    SendWindow w = windows.credited(endpoint);
    if (w != null) { // else credit for an endpoint never written to: nothing to release
      writes.credited(w, count, bytes);
    }
  }

  /** Fails an ask that was never written, or never answered, because the connection closed. */
  private void failClosed(PendingAsk<?> ask) {
    RpcException f = failure;
    if (f != null) {
      ask.fail(f);
    } else {
      ask.failConnectionClosed(
          peerAddress(), "Connection to " + peerAddress() + " closed" + reasonSuffix(), closeCause);
    }
  }

  /** The asks this connection carries. */
  OutstandingAsks asks() {
    return asks;
  }

  /** The receiving side of flow control. Event loop. */
  InboundFlow inbound() {
    return inbound;
  }

  /** The keepalive, once the handshake is done. Event loop. */
  Keepalive keepalive() {
    return keepalive;
  }

  /** Whether the event loop reads from this connection; set once its channel exists. */
  ReadGate readGate() {
    return gate;
  }

  /**
   * Records the error that everything depending on this connection should fail with; the first
   * wins.
   */
  void fail(RpcException error) {
    if (failure == null) {
      failure = error;
    }
  }

  Channel channel() {
    return channel;
  }

  /** The channel exists: from now on the connection can write (once ready) and be read. */
  void channelCreated(Channel ch, RpcAddress remote, ReadGate readGate) {
    this.gate = readGate;
    this.channel = ch;
    this.socketAddress = remote;
  }

  /** Handshake done: start writing. */
  void ready(Hello peerHello) {
    this.peer = peerHello;
    this.state = ConnectionState.READY;
    TransportSettings s = transport.settings();
    keepalive = new Keepalive(this, asks, channel, s.connectionTimeout(), s.keepalive());
    keepalive.start();
    writes.scheduleDrain();
  }

  /** Whether the handshake completed (the connection may have closed since). */
  boolean handshakeDone() {
    return peer != null;
  }

  /** How many TCP connection attempts this (outbound) connection has made. */
  public int connectAttempts() {
    return connectAttempts;
  }

  /** Records why the connection is going away; the first reason wins. */
  void reason(String reason, Throwable cause) {
    if (closeReason == null) {
      closeReason = reason;
      closeCause = cause;
    }
  }

  /**
   * Marks the connection closed and fails everything that depended on it: queued and held frames
   * are released and every outstanding ask fails with a connection error naming the peer (or with
   * {@code failAsksWith}). One-way messages that may be lost are counted and logged.
   */
  void closed(RpcException failAsksWith) {
    if (failAsksWith != null) {
      failure = failAsksWith; // the env's shutdown says so, whatever happened before
    }
    state = ConnectionState.CLOSED;
    Keepalive k = keepalive;
    if (k != null) {
      k.stop();
    }
    Channel ch = channel;
    int notSent = writes.releaseQueued(failClosed);
    int failed = 0;
    long unconfirmed = 0;
    // Written asks and held messages are only ever touched on the event loop; off it (a connection
    // closed before it was ready) there are none, and the channel's own close comes back here on
    // it.
    if (ch == null || ch.eventLoop().inEventLoop()) {
      notSent += windows.releaseHeld(m -> WriteQueue.release(m, failClosed));
      failed = asks.failAll(failClosed);
      unconfirmed = closedInOrder ? 0 : windows.unconfirmedOneWays();
    }
    transport.closedWithLosses(this, reasonSuffix(), failed, notSent, unconfirmed);
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
    ch.eventLoop().execute(() -> closeInOrder(ch, why));
  }

  private void closeInOrder(Channel ch, String why) {
    writes.drainAll();
    inbound.writeRemainingCredit(ch);
    ch.writeAndFlush(Frames.close(ch.alloc(), Protocol.CLOSE_OTHER, why))
        .addListener(written -> ch.close());
  }

  private String reasonSuffix() {
    String r = closeReason;
    return r == null ? "" : " (" + r + ")";
  }

  private RpcException closedException(String what) {
    RpcException f = failure;
    return f != null
        ? f
        : new RpcConnectionException(what + reasonSuffix(), peerAddress(), closeCause);
  }

  @Override
  public String toString() {
    return "Connection[" + (isOutbound() ? "to " : "from ") + peerAddress() + ", " + state + "]";
  }
}
