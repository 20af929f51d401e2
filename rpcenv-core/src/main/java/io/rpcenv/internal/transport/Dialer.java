package io.rpcenv.internal.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.rpcenv.RpcAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the connections this env starts: one TCP connect per attempt within {@code
 * spark.rpc.io.connectionCreationTimeout}, retried {@code spark.rpc.numRetries} times with a
 * randomized exponential back-off ({@link Backoff}); a connection that cannot be opened closes with
 * the reason, failing what was queued on it.
 */
final class Dialer {
  private static final Logger LOG = LoggerFactory.getLogger(Dialer.class);

  private final Transport transport;
  private final TransportSettings settings;
  private final EventLoopGroup group;
  private final Bootstrap bootstrap;

  Dialer(Transport transport, EventLoopGroup group, IoTransport io, ByteBufAllocator alloc) {
    this.transport = transport;
    this.settings = transport.settings();
    this.group = group;
    this.bootstrap =
        new Bootstrap()
            .group(group)
            .channel(io.socketChannel())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true)
            .option(ChannelOption.ALLOCATOR, alloc)
            .option(ChannelOption.RECVBUF_ALLOCATOR, IoTransport.RECEIVE_SIZES)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int)
                    Math.min(Integer.MAX_VALUE, Math.max(1, settings.connectTimeout().toMillis())));
    if (settings.receiveBuffer() > 0) {
      bootstrap.option(ChannelOption.SO_RCVBUF, settings.receiveBuffer());
    }
    if (settings.sendBuffer() > 0) {
      bootstrap.option(ChannelOption.SO_SNDBUF, settings.sendBuffer());
    }
  }

  /**
   * Makes one attempt to connect {@code c} to the address it was made for; retries follow failures.
   */
  @SuppressWarnings(
      "NonAtomicVolatileUpdate") // one attempt at a time: the next is scheduled by this one's
  // failure
  void connect(Connection c) {
    RpcAddress target = c.peerListenAddress();
    c.connectAttempts++;
    bootstrap
        .clone()
        .handler(ConnectionInitializer.dialing(transport, c))
        .connect(target.host(), target.port())
        .addListener(
            (ChannelFuture f) -> {
              if (f.isSuccess()) {
                if (transport.isClosing()) {
                  f.channel().close();
                }
                return;
              }
              if (c.connectAttempts <= settings.numRetries() && !transport.isClosing()) {
                long waitMs = Backoff.delayMillis(settings.retryWait(), c.connectAttempts);
                LOG.info(
                    "Connection attempt {} to {} failed ({}); retrying in {} ms",
                    c.connectAttempts,
                    target,
                    f.cause().getMessage(),
                    waitMs);
                group.schedule(() -> connect(c), waitMs, TimeUnit.MILLISECONDS);
                return;
              }
              c.reason(
                  "failed to connect after "
                      + c.connectAttempts
                      + " attempt(s): "
                      + f.cause().getMessage()
                      + (settings.numRetries() > 0 ? "" : "; spark.rpc.numRetries=0"),
                  f.cause());
              transport.dialFailed(c);
            });
  }
}
