package io.rpcenv.internal.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.rpcenv.RpcAddress;
import io.rpcenv.RpcConnectionException;
import io.rpcenv.RpcException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network side of one env: its listening socket, its connections and the map from peer
 * listen address to connection. One connection per peer serves both directions: a connection a
 * server-mode peer opened to us is reused for our messages to that peer.
 */
public final class Transport {
  private static final Logger LOG = LoggerFactory.getLogger(Transport.class);

  private final TransportHost host;
  private final TransportSettings settings;
  private final EventLoopGroup group;
  private final IoTransport io;
  private final ByteBufAllocator alloc;
  private final Map<RpcAddress, Connection> byAddress = new ConcurrentHashMap<>();
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final ListenClaims claims = new ListenClaims();
  private final FrameBudget budget;
  private final Bootstrap client;
  private final java.util.concurrent.atomic.AtomicInteger handshaking = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong refusedConnections = new java.util.concurrent.atomic.AtomicLong();
  private final AtomicLong unexpectedErrors = new AtomicLong();
  private final AtomicLong oneWaysNotSent = new AtomicLong();
  private final AtomicLong oneWaysUnconfirmed = new AtomicLong();
  private volatile Hello hello;
  private volatile Channel serverChannel;
  private volatile boolean closing;
  private volatile RpcException closingReason;

  public Transport(TransportHost host, TransportSettings settings, EventLoopGroup group, IoTransport io,
      ByteBufAllocator alloc) {
    this.host = host;
    this.settings = settings;
    this.group = group;
    this.io = io;
    this.alloc = alloc;
    this.hello = new Hello(host.envId(), settings.maxInflightMessages(), null);
    this.budget = new FrameBudget(settings.frameBudget());
    this.client = new Bootstrap().group(group).channel(io.socketChannel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.ALLOCATOR, alloc)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) Math.min(Integer.MAX_VALUE, Math.max(1, settings.connectTimeout().toMillis())));
    if (settings.receiveBuffer() > 0) {
      client.option(ChannelOption.SO_RCVBUF, settings.receiveBuffer());
    }
    if (settings.sendBuffer() > 0) {
      client.option(ChannelOption.SO_SNDBUF, settings.sendBuffer());
    }
  }

  TransportSettings settings() {
    return settings;
  }

  TransportHost host() {
    return host;
  }

  Hello hello() {
    return hello;
  }

  /** The allocator all frames come from. */
  public ByteBufAllocator alloc() {
    return alloc;
  }

  /** "epoll" or "nio". */
  public String ioName() {
    return io.name();
  }

  /**
   * Listens on {@code bindHost:port}. A taken fixed port is retried upward {@code maxRetries}
   * times; an address that cannot be bound at all fails at once. Returns the bound port.
   */
  public int bind(String bindHost, int port, int maxRetries, String advertiseHost) {
    ServerBootstrap server = new ServerBootstrap().group(group).channel(io.serverChannel())
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.ALLOCATOR, alloc)
        .childOption(ChannelOption.ALLOCATOR, alloc)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            Connection c = new Connection(Transport.this, null);
            init(ch, c);
          }
        });
    if (settings.backlog() > 0) {
      server.option(ChannelOption.SO_BACKLOG, settings.backlog());
    }
    if (settings.receiveBuffer() > 0) {
      server.childOption(ChannelOption.SO_RCVBUF, settings.receiveBuffer());
    }
    if (settings.sendBuffer() > 0) {
      server.childOption(ChannelOption.SO_SNDBUF, settings.sendBuffer());
    }
    int attempts = port == 0 ? 1 : maxRetries + 1;
    Throwable last = null;
    for (int i = 0; i < attempts; i++) {
      int tryPort = port == 0 ? 0 : ((port - 1024 + i) % (65536 - 1024)) + 1024;
      ChannelFuture f = server.bind(bindHost, tryPort).awaitUninterruptibly();
      if (f.isSuccess()) {
        serverChannel = f.channel();
        int bound = ((InetSocketAddress) f.channel().localAddress()).getPort();
        hello = new Hello(host.envId(), settings.maxInflightMessages(), new RpcAddress(advertiseHost, bound));
        return bound;
      }
      last = f.cause();
      if (!isAddressInUse(last)) {
        throw new RpcException("RpcEnv '" + settings.envName() + "' cannot listen on " + bindHost + ":" + tryPort
            + ": " + last.getMessage() + " (check that the bind address belongs to this machine)", last);
      }
      LOG.debug("Port {} is taken, trying the next one", tryPort);
    }
    throw new RpcException("RpcEnv '" + settings.envName() + "' could not bind to " + bindHost + ":" + port
        + (port == 0 ? "" : " or the " + maxRetries + " ports after it") + ": " + last.getMessage()
        + ". Choose another port or raise spark.port.maxRetries (now " + maxRetries + ").", last);
  }

  static boolean isAddressInUse(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String m = c.getMessage();
      if (m != null && m.toLowerCase().contains("address already in use")) {
        return true;
      }
    }
    return false;
  }

  private void init(SocketChannel ch, Connection c) {
    SocketAddress remote = ch.remoteAddress();
    String peer = remote instanceof InetSocketAddress a ? a.getHostString() + ":" + a.getPort() : String.valueOf(remote);
    if (closing) {
      ch.close();
      return;
    }
    if (handshaking.incrementAndGet() > settings.maxHandshaking()) {
      handshaking.decrementAndGet();
      long n = refusedConnections.incrementAndGet();
      if (Long.bitCount(n) == 1) { // 1st, 2nd, 4th, 8th...: visible, but not a flood
        LOG.warn("Refused a connection from {}: {} connections are already in their handshake "
            + "(spark.rpc.io.maxHandshakingConnections); {} refused so far", peer, settings.maxHandshaking(), n);
      }
      ch.close();
      return;
    }
    c.countedAsHandshaking = true;
    if (settings.tls() != null) {
      ch.pipeline().addLast("tls", settings.tls().serverHandler(ch.alloc()));
    }
    ReadGate gate = new ReadGate(ch);
    ch.pipeline().addFirst("gate", gate);
    FrameDecoder decoder = new FrameDecoder(peer, settings.maxMessageSize(), settings.frameTimeout(), budget, gate);
    ch.pipeline().addLast("frames", decoder).addLast("rpc", new ConnectionHandler(this, c, decoder));
    RpcAddress socket = remote instanceof InetSocketAddress a ? new RpcAddress(a.getHostString(), a.getPort()) : null;
    c.channelCreated(ch, socket, gate);
    connections.add(c);
    claims.accepted(c, socket, connections, byAddress);
  }

  /** An accepted connection finished its handshake or closed: it no longer counts against the cap. */
  private void handshakeOver(Connection c) {
    if (c.countedAsHandshaking) {
      c.countedAsHandshaking = false;
      handshaking.decrementAndGet();
    }
  }

  /**
   * The connection to the env listening at {@code address}: an open one if there is one, else a
   * new one, connecting in the background. Messages written to it meanwhile are queued.
   */
  public Connection connectionTo(RpcAddress address) {
    for (;;) {
      Connection existing = byAddress.get(address);
      if (existing != null && !existing.isClosed()) {
        return existing;
      }
      if (closing) {
        throw new RpcConnectionException("Cannot connect to " + address + ": RpcEnv '" + settings.envName()
            + "' is shutting down", address, null);
      }
      Connection fresh = new Connection(this, address);
      boolean won = existing == null ? byAddress.putIfAbsent(address, fresh) == null
          : byAddress.replace(address, existing, fresh);
      if (won) {
        connections.add(fresh);
        connect(fresh);
        return fresh;
      }
    }
  }

  private void connect(Connection c) {
    RpcAddress target = c.peerListenAddress();
    c.connectAttempts++;
    client.clone().handler(new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        if (settings.tls() != null) {
          ch.pipeline().addLast("tls", settings.tls().clientHandler(ch.alloc(), target));
        }
        ReadGate gate = new ReadGate(ch);
        ch.pipeline().addFirst("gate", gate);
        FrameDecoder decoder = new FrameDecoder(target.hostPort(), settings.maxMessageSize(), settings.frameTimeout(),
            budget, gate);
        ch.pipeline().addLast("frames", decoder).addLast("rpc", new ConnectionHandler(Transport.this, c, decoder));
        c.channelCreated(ch, target, gate);
      }
    }).connect(target.host(), target.port()).addListener((ChannelFuture f) -> {
      if (f.isSuccess()) {
        if (closing) {
          f.channel().close();
        }
        return;
      }
      if (c.connectAttempts <= settings.numRetries() && !closing) {
        long waitMs = Backoff.delayMillis(settings.retryWait(), c.connectAttempts);
        LOG.info("Connection attempt {} to {} failed ({}); retrying in {} ms", c.connectAttempts, target,
            f.cause().getMessage(), waitMs);
        group.schedule(() -> connect(c), waitMs, TimeUnit.MILLISECONDS);
        return;
      }
      c.reason("failed to connect after " + c.connectAttempts + " attempt(s): " + f.cause().getMessage()
          + (settings.numRetries() > 0 ? "" : "; spark.rpc.numRetries=0"), f.cause());
      removed(c);
      c.closed(null);
    });
  }


  /**
   * The handshake completed: verify an accepted peer's claimed listen address, index the
   * connection by it, announce the connection.
   */
  void onReady(Connection c) {
    handshakeOver(c);
    if (!c.isOutbound()) {
      RpcAddress listen = claims.verify(c);
      if (listen != null) {
        c.verifiedListenAddress(listen);
        Connection old = byAddress.get(listen);
        if (old == null || old.isClosed()) {
          if (old == null ? byAddress.putIfAbsent(listen, c) != null : !byAddress.replace(listen, old, c)) {
            LOG.debug("Another connection to {} won the race; keeping both", listen);
          }
        }
      }
    }
    if (closing) {
      c.channel().close();
      return;
    }
    c.announced(true);
    host.onConnected(c);
  }

  void onInactive(Connection c) {
    handshakeOver(c);
    if (!c.isReady()) {
      c.reason("the peer closed the connection during the handshake (spark.ssl.rpc.enabled and spark.authenticate "
          + "must agree on both sides)", null);
    }
    removed(c);
    c.closed(closing ? closingReason : null);
    if (c.announced() && !closing) {
      host.onDisconnected(c);
    }
  }

  private void removed(Connection c) {
    connections.remove(c);
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

  /** A connection failed with an error that is neither the protocol's nor the network's: a bug. */
  /** A connection closed with one-way messages never written, and others written but not confirmed. */
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
   * Closes the listening socket and every connection: frames already queued are written first;
   * asks still outstanding fail with {@code reason}. The future completes when every channel has
   * closed.
   */
  public CompletableFuture<Void> close(RpcException reason) {
    closingReason = reason;
    closing = true;
    List<CompletableFuture<Void>> closed = new ArrayList<>();
    Channel server = serverChannel;
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
        c.reason("RpcEnv '" + settings.envName() + "' shut down before the connection was ready", null);
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

  static String describe(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
