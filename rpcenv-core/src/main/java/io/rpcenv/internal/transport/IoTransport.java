package io.rpcenv.internal.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;

/**
 * The kind of sockets and event loops in use: native epoll when it loads (and is allowed by {@code
 * spark.rpc.io.mode}), NIO otherwise.
 *
 * @param name "epoll" or "nio"
 * @param handlerFactory creates the event loops' I/O handlers
 * @param socketChannel the client socket channel class
 * @param serverChannel the server socket channel class
 */
public record IoTransport(
    String name,
    IoHandlerFactory handlerFactory,
    Class<? extends SocketChannel> socketChannel,
    Class<? extends ServerChannel> serverChannel) {

  /** Chooses the transport for {@code mode} (auto, epoll, nio). */
  public static IoTransport select(String mode) {
    String m = mode.toLowerCase(Locale.ROOT);
    boolean epoll = Epoll.isAvailable();
    if (m.equals("epoll") && !epoll) {
      throw new IllegalStateException(
          "spark.rpc.io.mode=epoll, but native epoll is unavailable on this machine: "
              + Epoll.unavailabilityCause()
              + ". Use spark.rpc.io.mode=auto or nio.");
    }
    if (epoll && !m.equals("nio")) {
      return new IoTransport(
          "epoll",
          EpollIoHandler.newFactory(),
          EpollSocketChannel.class,
          EpollServerSocketChannel.class);
    }
    return new IoTransport(
        "nio", NioIoHandler.newFactory(), NioSocketChannel.class, NioServerSocketChannel.class);
  }

  /** An event-loop group of {@code threads} threads made by {@code factory}. */
  public EventLoopGroup newGroup(int threads, ThreadFactory factory) {
    return new MultiThreadIoEventLoopGroup(threads, factory, handlerFactory);
  }
}
