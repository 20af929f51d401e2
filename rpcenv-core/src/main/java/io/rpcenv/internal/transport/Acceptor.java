package io.rpcenv.internal.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.rpcenv.RpcException;
import io.rpcenv.internal.metrics.TransportMetrics;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening side of an env: binds its socket (retrying a taken fixed port upward) and admits
 * accepted connections while fewer than {@code spark.rpc.io.maxHandshakingConnections} are in their
 * handshake, refusing the rest.
 */
final class Acceptor {
  private static final Logger LOG = LoggerFactory.getLogger(Acceptor.class);

  private final Transport transport;
  private final TransportSettings settings;
  private final AtomicInteger handshaking = new AtomicInteger();
  private final AtomicLong refused = new AtomicLong();
  private volatile Channel serverChannel;

  Acceptor(Transport transport) {
    this.transport = transport;
    this.settings = transport.settings();
  }

  /**
   * Listens on {@code bindHost:port}. A taken fixed port is retried upward {@code maxRetries}
   * times; an address that cannot be bound at all fails at once. Returns the bound port.
   */
  int bind(
      EventLoopGroup group,
      IoTransport io,
      ByteBufAllocator alloc,
      String bindHost,
      int port,
      int maxRetries) {
    ServerBootstrap server =
        new ServerBootstrap()
            .group(group)
            .channel(io.serverChannel())
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .option(ChannelOption.ALLOCATOR, alloc)
            .childOption(ChannelOption.ALLOCATOR, alloc)
            .childOption(ChannelOption.RECVBUF_ALLOCATOR, IoTransport.RECEIVE_SIZES)
            .childHandler(ConnectionInitializer.accepting(transport, this));
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
        return ((InetSocketAddress) f.channel().localAddress()).getPort();
      }
      last = f.cause();
      if (!isAddressInUse(last)) {
        throw new RpcException(
            "RpcEnv '"
                + settings.envName()
                + "' cannot listen on "
                + bindHost
                + ":"
                + tryPort
                + ": "
                + last.getMessage()
                + " (check that the bind address belongs to this machine)",
            last);
      }
      LOG.debug("Port {} is taken, trying the next one", tryPort);
    }
    throw new RpcException(
        "RpcEnv '"
            + settings.envName()
            + "' could not bind to "
            + bindHost
            + ":"
            + port
            + (port == 0 ? "" : " or the " + maxRetries + " ports after it")
            + ": "
            + last.getMessage()
            + ". Choose another port or raise spark.port.maxRetries (now "
            + maxRetries
            + ").",
        last);
  }

  static boolean isAddressInUse(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String m = c.getMessage();
      if (m != null && m.toLowerCase(Locale.ROOT).contains("address already in use")) {
        return true;
      }
    }
    return false;
  }

  /** The listening socket, or null before {@link #bind} (or in client mode). */
  Channel serverChannel() {
    return serverChannel;
  }

  /**
   * Whether a connection from {@code peer} may start its handshake; refused ones are logged
   * sparingly.
   */
  boolean admit(String peer) {
    if (transport.isClosing()) {
      return false;
    }
    if (handshaking.incrementAndGet() <= settings.maxHandshaking()) {
      return true;
    }
    handshaking.decrementAndGet();
    transport.metrics().handshakeRefused(TransportMetrics.LIMIT);
    long n = refused.incrementAndGet();
    if (Long.bitCount(n) == 1) { // 1st, 2nd, 4th, 8th...: visible, but not a flood
      LOG.warn(
          "Refused a connection from {}: {} connections are already in their handshake "
              + "(spark.rpc.io.maxHandshakingConnections); {} refused so far",
          peer,
          settings.maxHandshaking(),
          n);
    }
    return false;
  }

  /**
   * An accepted connection finished its handshake or closed: it no longer counts against the cap.
   */
  void handshakeOver(Connection c) {
    if (c.countedAsHandshaking) {
      c.countedAsHandshaking = false;
      handshaking.decrementAndGet();
    }
  }
}
