package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.rpcenv.RpcAuthenticationException;
import io.rpcenv.internal.call.FailureCode;
import io.rpcenv.internal.call.PendingAsk;
import java.io.IOException;
import java.util.HashMap;
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
  private Handshake handshake; // dropped once done: an idle connection keeps only what it needs
  private final EndpointNames names = new EndpointNames();
  /** The receiving side of each endpoint's window on this connection, by endpoint name. */
  private final HashMap<String, InboundWindow> windows = new HashMap<>(4);
  /** How long a connection closed with a reason keeps draining the peer's input. */
  private static final long CLOSE_LINGER_MILLIS = 1000;

  private boolean handshakeDone;
  private boolean closing;
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
    if (closing) { // only draining until the peer sees our CLOSE
      ReferenceCountUtil.release(msg instanceof LargeFrame large ? large.head() : msg);
      return;
    }
    if (msg instanceof LargeFrame large) { // only after the handshake: larger frames are refused before it
      route(ctx, large.head(), large.rest());
      return;
    }
    ByteBuf frame = (ByteBuf) msg;
    if (!handshakeDone) {
      try {
        Hello peer = handshake.onFrame(frame, ctx.alloc(), ctx::write);
        ctx.flush();
        if (peer != null) {
          handshakeDone = true;
          deadline.cancel(false);
          deadline = null;
          handshake = null;
          decoder.handshakeDone();
          connection.ready(peer);
          transport.onReady(connection);
        }
      } catch (HandshakeFailure f) {
        failHandshake(ctx, f);
      } catch (IndexOutOfBoundsException truncated) {
        throw new ProtocolException("Malformed " + Protocol.typeName(frame.getByte(0)) + " frame from "
            + connection.socketAddress() + " during the handshake: it ends inside its fields");
      } finally {
        frame.release();
      }
      return;
    }
    route(ctx, frame, null);
  }

  /**
   * Routes a frame after the handshake. {@code largeRest}, when not null, is the body after its
   * tag, assembled as it arrived; {@code frame} then ends with the tag.
   */
  private void route(ChannelHandlerContext ctx, ByteBuf frame, byte[] largeRest) {
    connection.frameRead();
    byte type = frame.readByte();
    switch (type) {
      case Protocol.REQUEST: {
        long id;
        String endpoint;
        try {
          id = frame.readLong();
          endpoint = names.read(frame);
        } catch (RuntimeException malformed) {
          throw malformed(frame, type, malformed);
        }
        InboundWindow window = arrive(frame, endpoint);
        MessageBody body = body(frame, largeRest);
        if (body.size() > limit()) {
          long size = body.size();
          body.discard();
          connection.sendReply(Frames.failure(ctx.alloc(), id, FailureCode.TOO_LARGE, "The ask to endpoint '"
              + endpoint + "' from " + connection.peerAddress() + " carries " + size + " bytes, which exceeds "
              + "spark.rpc.message.maxSize (" + limit() + " bytes) of the receiving env", null, null, 0));
          window.done();
          return;
        }
        transport.host().onRequest(connection, window, id, endpoint, body); // host owns the body now
        return;
      }
      case Protocol.ONE_WAY: {
        String endpoint;
        try {
          endpoint = names.read(frame);
        } catch (RuntimeException malformed) {
          throw malformed(frame, type, malformed);
        }
        InboundWindow window = arrive(frame, endpoint);
        MessageBody body = body(frame, largeRest);
        if (body.size() > limit()) {
          LOG.warn("Dropped a one-way message of {} bytes to endpoint '{}' from {}: it exceeds "
              + "spark.rpc.message.maxSize ({} bytes)", body.size(), endpoint, connection.peerAddress(), limit());
          body.discard();
          window.done();
          return;
        }
        transport.host().onOneWay(connection, window, endpoint, body);
        return;
      }
      case Protocol.RESPONSE: {
        if (frame.readableBytes() < 8) {
          throw malformed(frame, type, null);
        }
        long id = frame.readLong();
        MessageBody body = body(frame, largeRest);
        try {
          PendingAsk<?> ask = takePending(id, type);
          if (ask != null && body.size() > limit()) {
            ask.fail(Frames.tooLarge("reply from " + connection.peerAddress() + " to the " + ask.describe(),
                body.size(), limit(), false));
          } else if (ask != null) {
            transport.host().onResponse(connection, ask, body);
          }
        } finally {
          body.discard(); // nothing left if it was read
        }
        return;
      }
      default:
        try {
          control(ctx, type, frame);
        } catch (IndexOutOfBoundsException truncated) {
          throw new ProtocolException("Malformed " + Protocol.typeName(type) + " frame from "
              + connection.peerAddress() + ": it ends inside its fields (" + frame.writerIndex() + " bytes)");
        } finally {
          frame.release();
        }
    }
  }

  /**
   * Counts a request or one-way message against its endpoint's window; a peer that writes beyond
   * the credit it was given breaks the protocol (an honest one holds such messages back).
   */
  private InboundWindow arrive(ByteBuf frame, String endpoint) {
    InboundWindow w = windows.get(endpoint);
    if (w == null) {
      w = new InboundWindow(connection, endpoint, transport.settings().maxInflightMessages());
      windows.put(endpoint, w);
    }
    if (!w.arrive()) {
      frame.release();
      throw new ProtocolException(connection.peerAddress() + " sent more messages to endpoint '" + endpoint
          + "' than its window allows (" + w.allowed() + " so far; spark.rpc.io.maxInflightMessages of this env is "
          + transport.settings().maxInflightMessages() + ")");
    }
    return w;
  }

  /**
   * Releases a frame whose header could not be read and says why; the connection is then closed
   * with that reason. Nothing of a malformed frame outlives it.
   */
  private ProtocolException malformed(ByteBuf frame, byte type, RuntimeException cause) {
    int length = frame.writerIndex();
    frame.release();
    if (cause instanceof ProtocolException p) {
      return new ProtocolException("Malformed " + Protocol.typeName(type) + " frame from " + connection.peerAddress()
          + ": " + p.getMessage());
    }
    return new ProtocolException("Malformed " + Protocol.typeName(type) + " frame from " + connection.peerAddress()
        + ": it ends inside its header (" + length + " byte" + (length == 1 ? "" : "s") + " after the length)");
  }

  /** The rest of {@code frame} as a body; a large frame's head is released once its tag is read. */
  private static MessageBody body(ByteBuf frame, byte[] largeRest) {
    if (largeRest == null) {
      return MessageBody.of(frame);
    }
    byte tag = frame.readByte();
    frame.release();
    return MessageBody.ofArray(tag, largeRest);
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

  /** The ask waiting for {@code id}, no longer outstanding; or null (logged) if it timed out or was aborted. */
  private PendingAsk<?> takePending(long id, byte type) {
    PendingAsk<?> ask = connection.takePending(id);
    if (ask == null) {
      connection.lateReplies().arrived(type == Protocol.RESPONSE ? "reply" : "failure", id);
    }
    return ask;
  }

  private long limit() {
    return transport.settings().maxMessageSize();
  }

  private void control(ChannelHandlerContext ctx, byte type, ByteBuf frame) {
    switch (type) {
      case Protocol.FAILURE: {
        PendingAsk<?> ask = takePending(frame.readLong(), type);
        if (ask != null) {
          transport.host().onFailure(connection, ask, frame);
        }
        return;
      }
      case Protocol.PING:
        ctx.writeAndFlush(Frames.pong(ctx.alloc()), ctx.voidPromise());
        return;
      case Protocol.PONG:
        connection.pongReceived();
        return;
      case Protocol.CREDIT: {
        String endpoint = names.read(frame);
        int count = frame.readInt();
        if (count <= 0 || frame.isReadable()) {
          throw new ProtocolException("Malformed CREDIT frame from " + connection.peerAddress() + ": a count of "
              + count + (frame.isReadable() ? " and " + frame.readableBytes() + " extra bytes" : ""));
        }
        connection.creditReceived(endpoint, count);
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
        transport.unexpectedError();
        LOG.warn("Error on connection with {}; closing it", connection.peerAddress(), root);
      }
      connection.reason(root instanceof IOException io ? describe(io) : root.toString(), root);
      if (handshakeDone) {
        transport.host().onNetworkError(connection, root);
      }
      ctx.close();
    }
  }

  /**
   * An I/O error in words, without the transport's class names: Netty's native errors read
   * "recvAddress(..) failed with error(-104): Connection reset by peer"; the last part is what
   * happened.
   */
  static String describe(IOException e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    int cut = m.lastIndexOf("): ");
    String what = cut >= 0 && m.contains("failed with error(") ? m.substring(cut + 3) : m;
    return what.isEmpty() ? m : Character.toLowerCase(what.charAt(0)) + what.substring(1);
  }

  /**
   * Tells the peer why, then closes. Our side of the stream ends after the CLOSE frame, but what
   * the peer still sends is read and dropped for a moment: closing with unread input would reset
   * the connection, and the peer would lose the reason along with its receive buffer.
   */
  private void closeWithReason(ChannelHandlerContext ctx, byte code, String reason, Throwable cause) {
    connection.reason(reason, cause);
    if (closing) {
      return; // the first reason was sent already
    }
    closing = true;
    Channel ch = ctx.channel();
    if (!ch.isActive()) {
      ctx.close();
      return;
    }
    if (!handshakeDone && !connection.isOutbound() && handshake != null && !handshake.answered()) {
      // The peer reads our preface before any frame; it has not had it yet.
      ctx.write(Frames.prefaceOnly(ctx.alloc()));
    }
    ctx.writeAndFlush(Frames.close(ctx.alloc(), code, reason)).addListener((ChannelFuture written) -> {
      if (!written.isSuccess()) {
        ch.close();
        return;
      }
      // Under TLS a half-close would cut the record stream, so there the peer's own close (on
      // reading our CLOSE frame) or the linger ends it.
      if (ch instanceof DuplexChannel duplex && ch.pipeline().get(SslHandler.class) == null) {
        duplex.shutdownOutput();
      }
      connection.readGate().drain(); // read what the peer sends until it closes, or the linger ends
      ch.eventLoop().schedule(() -> ch.close(), CLOSE_LINGER_MILLIS, TimeUnit.MILLISECONDS);
    });
  }
}
