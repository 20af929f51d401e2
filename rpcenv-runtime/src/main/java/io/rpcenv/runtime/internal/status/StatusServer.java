package io.rpcenv.runtime.internal.status;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.rpcenv.RpcConf;
import io.rpcenv.RpcConfigKeys;
import io.rpcenv.runtime.RuntimeConfigKeys;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's HTTP server ({@code spark.ui.*}): the status page, {@code /metrics} and {@code
 * /api/v1}, on a thread of its own so that however it is used, the RPC threads never wait for it.
 * Requests are bounded (a 4 KiB request line, 8 KiB of headers, 8 KiB of body), idle or stalled
 * connections are closed after 30 s, and at most {@link #MAX_CONNECTIONS} are open at once.
 */
public final class StatusServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusServer.class);

  /** Connections open at once; more are closed as they arrive. */
  static final int MAX_CONNECTIONS = 256;

  private final EventLoopGroup group;
  private final Channel channel;
  private final String url;

  private StatusServer(EventLoopGroup group, Channel channel, String url) {
    this.group = group;
    this.channel = channel;
    this.url = url;
  }

  /**
   * Starts the server on {@code bindHost}, at {@code spark.ui.port} or the first free port after it
   * (up to {@code spark.port.maxRetries} more).
   *
   * @param advertiseHost the host the printed address names
   * @param secret the application's secret when authentication is on, else null
   * @throws IllegalStateException if no port could be bound
   * @throws IllegalArgumentException if the TLS settings are incomplete or wrong
   */
  public static StatusServer start(
      RpcConf conf, String bindHost, String advertiseHost, StatusSource source, String secret) {
    SslContext ssl = conf.get(RuntimeConfigKeys.UI_TLS_ENABLED) ? UiTls.context(conf) : null;
    UiToken token = secret == null ? null : new UiToken(secret, source.appId());
    History history = new History(source);
    StatusApi api = new StatusApi(source, history);
    StaticAssets assets = new StaticAssets();
    AtomicInteger open = new AtomicInteger();
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            1,
            r -> {
              Thread t = new Thread(r, "rpcenv-status-page");
              t.setDaemon(true);
              return t;
            },
            NioIoHandler.newFactory());
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (open.incrementAndGet() > MAX_CONNECTIONS) {
                      open.decrementAndGet();
                      ch.close();
                      return;
                    }
                    ch.closeFuture().addListener(f -> open.decrementAndGet());
                    if (ssl != null) {
                      ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                    }
                    ch.pipeline()
                        .addLast(new IdleStateHandler(0, 0, 30, TimeUnit.SECONDS))
                        .addLast(new HttpServerCodec(4096, 8192, 8192))
                        .addLast(new ClosingAggregator())
                        .addLast(new StatusHandler(api, assets, token, ssl != null));
                  }
                });
    try {
      Channel ch = bind(b, conf, bindHost);
      int port = ((InetSocketAddress) ch.localAddress()).getPort();
      group.scheduleAtFixedRate(
          () -> {
            try {
              history.sample();
            } catch (RuntimeException e) {
              LOG.warn("Could not sample the status page's charts: {}", e.toString());
            }
          },
          0,
          History.EVERY_SECONDS,
          TimeUnit.SECONDS);
      String host = advertiseHost.contains(":") ? "[" + advertiseHost + "]" : advertiseHost;
      String url =
          (ssl != null ? "https" : "http")
              + "://"
              + host
              + ":"
              + port
              + "/"
              + (token == null ? "" : "?token=" + token.value());
      return new StatusServer(group, ch, url);
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
  }

  /**
   * Aggregates a request of at most 8 KiB; a larger one is answered 413 and its connection closed,
   * rather than read to its announced end (which may be a lie).
   */
  private static final class ClosingAggregator extends HttpObjectAggregator {
    ClosingAggregator() {
      super(8192);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
      FullHttpResponse r =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
              Unpooled.wrappedBuffer(
                  "Request Entity Too Large: at most 8 KiB\n".getBytes(StandardCharsets.UTF_8)));
      r.headers()
          .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
          .setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes())
          .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static Channel bind(ServerBootstrap b, RpcConf conf, String host) {
    int first = conf.get(RuntimeConfigKeys.UI_PORT);
    int retries = first == 0 ? 0 : conf.get(RpcConfigKeys.PORT_MAX_RETRIES);
    Throwable last = null;
    for (int i = 0; i <= retries && first + i <= 65_535; i++) {
      int port = first == 0 ? 0 : first + i;
      var f = b.bind(host, port).awaitUninterruptibly();
      if (f.isSuccess()) {
        return f.channel();
      }
      last = f.cause();
      LOG.debug("Status page could not bind {}:{}: {}", host, port, last.toString());
    }
    throw new IllegalStateException(
        "The driver's status page could not bind "
            + host
            + ":"
            + first
            + (retries > 0 ? " nor the " + retries + " ports after it" : "")
            + " (spark.ui.port, spark.port.maxRetries): "
            + (last == null ? "no port to try" : last.getMessage())
            + "; set spark.ui.port=0 for any free port, or spark.ui.enabled=false",
        last);
  }

  /** Where the page is, with the access token in it when authentication is on. */
  public String url() {
    return url;
  }

  /** The port it listens on. */
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** Stops listening and closes every connection; returns when done. */
  @Override
  public void close() {
    channel.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
