package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.rpcenv.RpcAuthenticationException;
import io.rpcenv.RpcTimeout;
import io.rpcenv.internal.metrics.TransportMetrics;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link Handshake} of one connection within {@code spark.network.auth.rpcTimeout} (after
 * TLS, when TLS is on). No frame passes it before the handshake is done; then it removes itself
 * from the pipeline, leaving the {@link FrameRouter} to route everything that follows, and an idle
 * connection keeps nothing of the handshake.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(HandshakeHandler.class);

  private final Transport transport;
  private final Connection connection;
  private final FrameDecoder decoder;
  private final ConnectionCloser closer;
  private final Handshake handshake;
  private ScheduledFuture<?> deadline;

  HandshakeHandler(
      Transport transport, Connection connection, FrameDecoder decoder, ConnectionCloser closer) {
    this.transport = transport;
    this.connection = connection;
    this.decoder = decoder;
    this.closer = closer;
    this.handshake = new Handshake(transport, connection, transport.settings().authKey());
    // An accepted connection that has not answered owes the peer its preface before a CLOSE.
    closer.prefaceOwed(() -> !connection.isOutbound() && !handshake.answered());
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    long timeoutNanos = transport.settings().handshakeTimeout().toNanos();
    deadline =
        ctx.executor()
            .schedule(
                () -> {
                  if (!connection.handshakeDone()) {
                    closer.close(
                        ctx,
                        Protocol.CLOSE_OTHER,
                        "the handshake did not complete within "
                            + RpcTimeout.of(transport.settings().handshakeTimeout()).describe()
                            + " (spark.network.auth.rpcTimeout)",
                        null);
                  }
                },
                timeoutNanos,
                TimeUnit.NANOSECONDS);
    if (connection.isOutbound()) {
      ctx.writeAndFlush(
          handshake.start(ctx.alloc())); // held by TLS, if any, until its handshake is done
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closer.isClosing()) { // only draining until the peer sees our CLOSE
      ReferenceCountUtil.release(msg);
      return;
    }
    ByteBuf frame = (ByteBuf) msg; // larger frames than a handshake's are refused before it is done
    try {
      Hello peer = handshake.onFrame(frame, ctx.alloc(), ctx::write);
      ctx.flush();
      if (peer != null) {
        done(ctx, peer);
      }
    } catch (HandshakeFailure f) {
      fail(ctx, f);
    } catch (IndexOutOfBoundsException truncated) {
      throw new ProtocolException(
          "Malformed "
              + Protocol.typeName(frame.getByte(0))
              + " frame from "
              + connection.socketAddress()
              + " during the handshake: it ends inside its fields");
    } finally {
      frame.release();
    }
  }

  private void done(ChannelHandlerContext ctx, Hello peer) {
    deadline.cancel(false);
    closer.prefaceOwed(() -> false);
    decoder.handshakeDone();
    ctx.pipeline().remove(this); // frames after this one go straight to the router
    connection.ready(peer);
    transport.onReady(connection);
  }

  private void fail(ChannelHandlerContext ctx, HandshakeFailure f) {
    transport
        .metrics()
        .handshakeRefused(
            f.failure() instanceof RpcAuthenticationException
                ? TransportMetrics.AUTHENTICATION
                : TransportMetrics.PROTOCOL);
    if (f.failure() instanceof RpcAuthenticationException) {
      LOG.warn("{}", f.getMessage());
    } else {
      LOG.info("Handshake with {} failed: {}", connection.socketAddress(), f.getMessage());
    }
    connection.fail(f.failure());
    if (f.closeCode() != null) {
      closer.close(ctx, f.closeCode(), f.toPeer(), f.failure());
    } else {
      connection.reason(f.getMessage(), f.failure());
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (deadline != null) {
      deadline.cancel(false);
    }
    ctx.fireChannelInactive();
  }
}
