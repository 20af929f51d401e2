package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.rpcenv.RpcAddress;
import io.rpcenv.RpcConnectionException;
import io.rpcenv.RpcException;
import io.rpcenv.internal.metrics.TransportMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network side of one env: its connections, the map from peer listen address to connection, and
 * what all of them share (settings, the frame budget, counters). Listening is the {@link
 * Acceptor}'s job and dialing the {@link Dialer}'s. One connection per peer serves both directions:
 * a connection a server-mode peer opened to us is reused for our messages to it.
 */
public final class Transport {
  private static final Logger LOG = LoggerFactory.getLogger(Transport.class);

  private final TransportHost host;
  private final ReplyDecoder replies;
  private final TransportSettings settings;
  private final Map<RpcAddress, Connection> byAddress = new ConcurrentHashMap<>();
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final ListenClaims claims = new ListenClaims();

  private final FrameBudget budget;
  private final SpareArrays spares;
  private final EventLoopGroup group;
  private final IoTransport io;
  private final ByteBufAllocator alloc;
  private final Acceptor acceptor;
  private final Dialer dialer;
  private final AtomicLong unexpectedErrors = new AtomicLong();
  private final AtomicLong oneWaysNotSent = new AtomicLong();
  private final AtomicLong oneWaysUnconfirmed = new AtomicLong();
  private final TransportMetrics metrics;
  private final ConnectionFigures figures;
  private volatile Hello hello;
  private volatile boolean closing;
  private volatile RpcException closingReason;

  public Transport(
      TransportHost host,
      ReplyDecoder replies,
      TransportSettings settings,
      EventLoopGroup group,
      IoTransport io,
      ByteBufAllocator alloc,
      SpareArrays spares,
      TransportMetrics metrics) {
    this.metrics = metrics;
    this.spares = spares;
    this.figures = new ConnectionFigures(connections, metrics, settings.tls() != null);
    this.host = host;
    this.replies = replies;
    this.settings = settings;
    this.group = group;
    this.io = io;
    this.alloc = alloc;
    this.hello =
        new Hello(host.envId(), settings.maxInflightMessages(), settings.maxInflightBytes(), null);
    this.budget = new FrameBudget(settings.frameBudget());
    this.acceptor = new Acceptor(this);
    this.dialer = new Dialer(this, group, io, alloc);
  }

  public TransportSettings settings() {
    return settings;
  }

  /** Where refusals are counted. */
  TransportMetrics metrics() {
    return metrics;
  }

  TransportHost host() {
    return host;
  }

  ReplyDecoder replies() {
    return replies;
  }

  Hello hello() {
    return hello;
  }

  FrameBudget frameBudget() {
    return budget;
  }

  SpareArrays spareArrays() {
    return spares;
  }

  boolean isClosing() {
    return closing;
  }

  /** The allocator all frames come from. */
  public ByteBufAllocator alloc() {
    return alloc;
  }

  /** "epoll", "io_uring" or "nio". */
  public String ioName() {
    return io.name();
  }

  /**
   * Listens on {@code bindHost:port} (see {@link Acceptor#bind}) and announces {@code
   * advertiseHost} and the bound port as this env's listen address. Returns the port.
   */
  public int bind(String bindHost, int port, int maxRetries, String advertiseHost) {
    int bound = acceptor.bind(group, io, alloc, bindHost, port, maxRetries);
    hello =
        new Hello(
            host.envId(),
            settings.maxInflightMessages(),
            settings.maxInflightBytes(),
            new RpcAddress(advertiseHost, bound));
    return bound;
  }

  /** An accepted connection has its pipeline. */
  void accepted(Connection c, RpcAddress socket) {
    connections.add(c);
    claims.accepted(c, socket, connections, byAddress);
  }

  /**
   * The connection to the env listening at {@code address}: an open one if there is one, else a new
   * one, connecting in the background. Messages written to it meanwhile are queued.
   */
  public Connection connectionTo(RpcAddress address) {
    for (; ; ) {
      Connection existing = byAddress.get(address);
      if (existing != null && !existing.isClosed()) {
        return existing;
      }
      if (closing) {
        throw new RpcConnectionException(
            "Cannot connect to "
                + address
                + ": RpcEnv '"
                + settings.envName()
                + "' is shutting down",
            address,
            null);
      }
      Connection fresh = new Connection(this, address);
      boolean won =
          existing == null
              ? byAddress.putIfAbsent(address, fresh) == null
              : byAddress.replace(address, existing, fresh);
      if (won) {
        connections.add(fresh);
        dialer.connect(fresh);
        return fresh;
      }
    }
  }

  /** A dialed connection could not be opened: it closes with the reason it was given. */
  void dialFailed(Connection c) {
    removed(c);
    c.closed(null);
  }

  /**
   * The handshake completed: verify an accepted peer's claimed listen address, index the connection
   * by it, announce the connection.
   */
  void onReady(Connection c) {
    acceptor.handshakeOver(c);
    figures.ready(c);
    if (!c.isOutbound()) {
      RpcAddress listen = claims.verify(c);
      if (listen != null) {
        c.verifiedListenAddress(listen);
        Connection old = byAddress.get(listen);
        if (old == null || old.isClosed()) {
          if (old == null
              ? byAddress.putIfAbsent(listen, c) != null
              : !byAddress.replace(listen, old, c)) {
            LOG.debug("Another connection to {} won the race; keeping both", listen);
          }
        }
      }
    }
    if (closing) {
      c.channel().close();
      return;
    }
    c.announced = true;
    host.onConnected(c);
  }

  void onInactive(Connection c) {
    acceptor.handshakeOver(c);
    if (!c.isReady()) {
      c.reason(
          "the peer closed the connection during the handshake (spark.ssl.rpc.enabled and"
              + " spark.authenticate must agree on both sides)",
          null);
    }
    removed(c);
    c.closed(closing ? closingReason : null);
    if (c.announced && !closing) {
      host.onDisconnected(c);
    }
  }

  private void removed(Connection c) {
    connections.remove(c);
    figures.removed(c);
    claims.removed(c);
    RpcAddress listen = c.peerListenAddress();
    if (listen != null) {
      byAddress.remove(listen, c);
    }
  }

  /** An open connection from or to the env with id {@code envId}, or null. */
  public Connection connectionToEnv(long envId) {
    for (Connection c : connections) {
      if (c.peerEnvId() == envId && !c.isClosed()) {
        return c;
      }
    }
    return null;
  }

  /**
   * A connection closed: counts the one-way messages it never wrote and those it wrote that the
   * peer had not confirmed, and says what was lost in one line if anything was.
   */
  void closedWithLosses(
      Connection c, String reason, int failedAsks, long notSent, long unconfirmed) {
    oneWaysLost(notSent, unconfirmed);
    if (notSent > 0 || failedAsks > 0 || unconfirmed > 0) {
      LOG.warn(
          "Connection to {} closed{}: {} outstanding asks failed, {} one-way messages not sent, and"
              + " up to {} sent but not yet confirmed as handled by the peer may be lost",
          c.peerAddress(),
          reason,
          failedAsks,
          notSent,
          unconfirmed);
    }
  }

  /**
   * A connection closed with one-way messages never written, and others written but not confirmed.
   */
  void oneWaysLost(long notSent, long unconfirmed) {
    if (notSent > 0) {
      oneWaysNotSent.addAndGet(notSent);
    }
    if (unconfirmed > 0) {
      oneWaysUnconfirmed.addAndGet(unconfirmed);
    }
  }

  /** One-way messages accepted by {@code send} whose connection closed before they were written. */
  public long oneWaysNotSent() {
    return oneWaysNotSent.get();
  }

  /**
   * One-way messages written to connections that then closed before the peer confirmed handling
   * them: an upper bound of what may have been lost on the way.
   */
  public long oneWaysUnconfirmed() {
    return oneWaysUnconfirmed.get();
  }

  /** A connection failed with an error that is neither the protocol's nor the network's: a bug. */
  void unexpectedError() {
    unexpectedErrors.incrementAndGet();
  }

  /** Bytes this env holds now of frames still arriving (spark.rpc.io.frameBudget). */
  public long frameBytesHeld() {
    return budget.used();
  }

  /** How many connections failed with an error that is neither the protocol's nor the network's. */
  public long unexpectedErrors() {
    return unexpectedErrors.get();
  }

  /** Open connections, for tests and diagnostics. */
  public List<Connection> connections() {
    return new ArrayList<>(connections);
  }

  /**
   * Closes the listening socket and every connection: frames already queued are written first; asks
   * still outstanding fail with {@code reason}. The future completes when every channel has closed.
   */
  public CompletableFuture<Void> close(RpcException reason) {
    closingReason = reason;
    closing = true;
    List<CompletableFuture<Void>> closed = new ArrayList<>();
    Channel server = acceptor.serverChannel();
    if (server != null) {
      closed.add(toFuture(server.close()));
    }
    String why = "RpcEnv '" + settings.envName() + "' is shutting down";
    for (Connection c : connections()) {
      Channel ch = c.channel();
      if (c.isReady() && ch != null) {
        closed.add(toFuture(ch.closeFuture()));
        c.flushAndClose(why);
      } else {
        // Not connected yet: nothing can be flushed; fail what waits on it now.
        removed(c);
        c.reason(
            "RpcEnv '" + settings.envName() + "' shut down before the connection was ready", null);
        c.closed(reason);
        if (ch != null) {
          closed.add(toFuture(ch.close()));
        }
      }
    }
    return CompletableFuture.allOf(closed.toArray(new CompletableFuture<?>[0]));
  }

  private static CompletableFuture<Void> toFuture(ChannelFuture f) {
    CompletableFuture<Void> cf = new CompletableFuture<>();
    f.addListener(x -> cf.complete(null));
    return cf;
  }
}
