package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.util.concurrent.ScheduledFuture;
import io.rpcenv.RpcAuthenticationException;
import io.rpcenv.internal.call.FailureCode;
import io.rpcenv.internal.call.PendingAsk;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every connection. First it runs the {@link Handshake} within a deadline
 * (after TLS, when TLS is on); until that completes no frame reaches the env. Then it routes each
 * frame: requests and one-way messages to the env, replies and failures to the asks waiting for
 * them. Any protocol violation closes this connection only.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);

  private final Transport transport;
  private final Connection connection;
  private final FrameDecoder decoder;
  private final Handshake handshake;
  private boolean handshakeDone;
  private ScheduledFuture<?> deadline;

  ConnectionHandler(Transport transport, Connection connection, FrameDecoder decoder) {
    this.transport = transport;
    this.connection = connection;
    this.decoder = decoder;
    this.handshake = new Handshake(transport, connection, transport.settings().authKey());
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    long timeoutNanos = transport.settings().handshakeTimeout().toNanos();
    deadline = ctx.executor().schedule(() -> {
      if (!handshakeDone) {
        closeWithReason(ctx, Protocol.CLOSE_OTHER, "the handshake did not complete within "
            + transport.describe(transport.settings().handshakeTimeout()) + " (spark.network.auth.rpcTimeout)", null);
      }
    }, timeoutNanos, TimeUnit.NANOSECONDS);
    if (connection.isOutbound()) {
      ctx.writeAndFlush(handshake.start(ctx.alloc())); // held by TLS, if any, until its handshake is done
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    if (!handshakeDone) {
      try {
        Hello peer = handshake.onFrame(frame, ctx.alloc(), ctx::write);
        ctx.flush();
        if (peer != null) {
          handshakeDone = true;
          deadline.cancel(false);
          decoder.handshakeDone();
          connection.ready(peer);
          transport.onReady(connection);
        }
      } catch (HandshakeFailure f) {
        failHandshake(ctx, f);
      } finally {
        frame.release();
      }
      return;
    }
    byte type = frame.readByte();
    switch (type) {
      case Protocol.REQUEST: {
        long id = frame.readLong();
        String endpoint = Frames.readUtf8Short(frame);
        if (tooLarge(frame)) {
          long size = bodySize(frame);
          frame.release();
          connection.sendReply(Frames.failure(ctx.alloc(), id, FailureCode.TOO_LARGE, "The ask to endpoint '"
              + endpoint + "' from " + connection.peerAddress() + " carries " + size + " bytes, which exceeds "
              + "spark.rpc.message.maxSize (" + limit() + " bytes) of the receiving env", null, null, 0));
          return;
        }
        connection.inboundStarted();
        transport.host().onRequest(connection, id, endpoint, frame); // host owns the frame now
        return;
      }
      case Protocol.ONE_WAY: {
        String endpoint = Frames.readUtf8Short(frame);
        if (tooLarge(frame)) {
          LOG.warn("Dropped a one-way message of {} bytes to endpoint '{}' from {}: it exceeds "
              + "spark.rpc.message.maxSize ({} bytes)", bodySize(frame), endpoint, connection.peerAddress(), limit());
          frame.release();
          return;
        }
        connection.inboundStarted();
        transport.host().onOneWay(connection, endpoint, frame);
        return;
      }
      default:
        try {
          control(type, frame);
        } finally {
          frame.release();
        }
    }
  }

  private void failHandshake(ChannelHandlerContext ctx, HandshakeFailure f) {
    if (f.failure() instanceof RpcAuthenticationException) {
      LOG.warn("{}", f.getMessage());
    } else {
      LOG.info("Handshake with {} failed: {}", connection.socketAddress(), f.getMessage());
    }
    connection.fail(f.failure());
    if (f.closeCode() != null) {
      closeWithReason(ctx, f.closeCode(), f.toPeer(), f.failure());
    } else {
      connection.reason(f.getMessage(), f.failure());
      ctx.close();
    }
  }

  /** The frame fit the allowance, but its body (after the serializer tag) is over the limit. */
  private boolean tooLarge(ByteBuf body) {
    return bodySize(body) > limit();
  }

  private static long bodySize(ByteBuf body) {
    return Math.max(0, body.readableBytes() - 1L);
  }

  private long limit() {
    return transport.settings().maxMessageSize();
  }

  private void control(byte type, ByteBuf frame) {
    switch (type) {
      case Protocol.RESPONSE:
      case Protocol.FAILURE: {
        long id = frame.readLong();
        PendingAsk<?> ask = connection.takePending(id);
        if (ask == null) {
          LOG.warn("Ignoring {} for ask #{} from {}: it is no longer outstanding (it timed out or was aborted)",
              type == Protocol.RESPONSE ? "reply" : "failure", id, connection.peerAddress());
        } else if (type == Protocol.RESPONSE && tooLarge(frame)) {
          ask.fail(Frames.tooLarge("reply from " + connection.peerAddress() + " to the " + ask.describe(),
              bodySize(frame), limit(), false));
        } else if (type == Protocol.RESPONSE) {
          transport.host().onResponse(connection, ask, frame);
        } else {
          transport.host().onFailure(connection, ask, frame);
        }
        return;
      }
      case Protocol.CLOSE:
        frame.readByte();
        connection.reason("peer " + connection.peerAddress() + " closed it: " + Frames.readUtf8Short(frame), null);
        return;
      default:
        throw new ProtocolException("Unexpected frame type " + type + " from " + connection.peerAddress());
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (deadline != null) {
      deadline.cancel(false);
    }
    transport.onInactive(connection);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (root instanceof SSLException || root instanceof NotSslRecordException) {
      String what = "TLS handshake with " + connection.peerAddress() + " failed: " + TlsFailures.describe(root);
      LOG.warn(what);
      connection.fail(new RpcAuthenticationException(what, connection.peerAddress(), root));
      connection.reason(what, root);
      ctx.close();
    } else if (root instanceof FrameTooLargeException || root instanceof ProtocolException) {
      LOG.warn("Closing connection with {}: {}", connection.socketAddress(), root.getMessage());
      if (handshakeDone) {
        transport.host().onNetworkError(connection, root);
      }
      closeWithReason(ctx, Protocol.CLOSE_OTHER, root.getMessage(), root);
    } else {
      if (root instanceof IOException) {
        LOG.debug("I/O error on connection with {}: {}", connection.peerAddress(), root.toString());
      } else {
        LOG.warn("Error on connection with {}; closing it", connection.peerAddress(), root);
      }
      connection.reason(root.toString(), root);
      if (handshakeDone) {
        transport.host().onNetworkError(connection, root);
      }
      ctx.close();
    }
  }

  /** Tells the peer why (best effort), then closes. */
  private void closeWithReason(ChannelHandlerContext ctx, byte code, String reason, Throwable cause) {
    connection.reason(reason, cause);
    if (ctx.channel().isActive()) {
      if (!handshakeDone && !connection.isOutbound() && !handshake.answered()) {
        // The peer reads our preface before any frame; it has not had it yet.
        ctx.write(Frames.prefaceOnly(ctx.alloc()));
      }
      ctx.writeAndFlush(Frames.close(ctx.alloc(), code, reason)).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close();
    }
  }
}
