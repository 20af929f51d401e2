package io.rpcenv.internal.transport;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;

/**
 * The kind of sockets and event loops in use, as {@code spark.rpc.io.mode} chooses: native epoll or
 * io_uring when asked for (refused with the reason when the machine lacks it); with {@code auto},
 * epoll when it loads, else NIO.
 *
 * @param name "epoll", "io_uring" or "nio"
 * @param handlerFactory creates the event loops' I/O handlers
 * @param socketChannel the client socket channel class
 * @param serverChannel the server socket channel class
 */
public record IoTransport(
    String name,
    IoHandlerFactory handlerFactory,
    Class<? extends SocketChannel> socketChannel,
    Class<? extends ServerChannel> serverChannel) {

  /**
   * How much each read asks the socket for: Netty's adaptive default, one instance for every
   * connection (Netty would make one per channel; a server may hold thousands).
   */
  static final RecvByteBufAllocator RECEIVE_SIZES = new AdaptiveRecvByteBufAllocator();

  /** Chooses the transport for {@code mode} (auto, epoll, io_uring, nio). */
  public static IoTransport select(String mode) {
    String m = mode.toLowerCase(Locale.ROOT);
    if (m.equals("io_uring")) {
      if (!IoUring.isAvailable()) {
        throw new IllegalStateException(
            "spark.rpc.io.mode=io_uring, but io_uring is unavailable on this machine: "
                + IoUring.unavailabilityCause()
                + ". Use spark.rpc.io.mode=auto, epoll or nio.");
      }
      return new IoTransport(
          "io_uring",
          IoUringIoHandler.newFactory(),
          IoUringSocketChannel.class,
          IoUringServerSocketChannel.class);
    }
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
