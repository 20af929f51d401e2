package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.rpcenv.internal.call.FailureCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every connection, routing each frame after the handshake: requests and
 * one-way messages, counted against their endpoint's window, to the env; replies and failures to
 * the connection's {@link OutstandingAsks}, which complete the asks; control frames (PING, PONG,
 * CLOSE, CREDIT) where they belong. Any protocol violation closes this connection only.
 */
final class FrameRouter extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(FrameRouter.class);

  private final Transport transport;
  private final Connection connection;
  private final ConnectionCloser closer;
  private final EndpointNames names = new EndpointNames();
  private final long limit;

  FrameRouter(Transport transport, Connection connection, ConnectionCloser closer) {
    this.transport = transport;
    this.connection = connection;
    this.closer = closer;
    this.limit = transport.settings().maxMessageSize();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closer.isClosing()) { // only draining until the peer sees our CLOSE
      ReferenceCountUtil.release(msg instanceof LargeFrame large ? large.head() : msg);
      return;
    }
    if (msg instanceof LargeFrame large) {
      route(ctx, large.head(), large.rest());
    } else {
      route(ctx, (ByteBuf) msg, null);
    }
  }

  /**
   * Routes one frame. {@code largeRest}, when not null, is the body after its tag, assembled as it
   * arrived; {@code frame} then ends with the tag.
   */
  private void route(ChannelHandlerContext ctx, ByteBuf frame, byte[] largeRest) {
    byte type = frame.readByte();
    switch (type) {
      case Protocol.REQUEST -> request(ctx, frame, largeRest);
      case Protocol.ONE_WAY -> oneWay(frame, largeRest);
      case Protocol.RESPONSE -> {
        if (frame.readableBytes() < 8) {
          throw malformed(frame, type, null);
        }
        long id = frame.readLong();
        connection.asks().replyArrived(id, body(frame, largeRest));
      }
      default -> {
        try {
          control(ctx, type, frame);
        } catch (IndexOutOfBoundsException truncated) {
          throw new ProtocolException(
              "Malformed "
                  + Protocol.typeName(type)
                  + " frame from "
                  + connection.peerAddress()
                  + ": it ends inside its fields ("
                  + frame.writerIndex()
                  + " bytes)");
        } finally {
          frame.release();
        }
      }
    }
  }

  private void request(ChannelHandlerContext ctx, ByteBuf frame, byte[] largeRest) {
    long id;
    String endpoint;
    try {
      id = frame.readLong();
      endpoint = names.read(frame);
    } catch (RuntimeException malformed) {
      throw malformed(frame, Protocol.REQUEST, malformed);
    }
    MessageBody body = body(frame, largeRest);
    InboundWindow window = arrive(body, endpoint);
    if (body.size() > limit) {
      long size = body.size();
      body.discard();
      connection.sendReply(
          Frames.failure(
              ctx.alloc(),
              id,
              FailureCode.TOO_LARGE,
              "The ask to endpoint '"
                  + endpoint
                  + "' from "
                  + connection.peerAddress()
                  + " carries "
                  + size
                  + " bytes, which exceeds "
                  + "spark.rpc.message.maxSize ("
                  + limit
                  + " bytes) of the receiving env",
              null,
              null,
              0),
          null);
      window.done(body.weight());
      return;
    }
    transport.host().onRequest(connection, window, id, endpoint, body); // host owns the body now
  }

  private void oneWay(ByteBuf frame, byte[] largeRest) {
    String endpoint;
    try {
      endpoint = names.read(frame);
    } catch (RuntimeException malformed) {
      throw malformed(frame, Protocol.ONE_WAY, malformed);
    }
    MessageBody body = body(frame, largeRest);
    InboundWindow window = arrive(body, endpoint);
    if (body.size() > limit) {
      LOG.warn(
          "Dropped a one-way message of {} bytes to endpoint '{}' from {}: it exceeds "
              + "spark.rpc.message.maxSize ({} bytes)",
          body.size(),
          endpoint,
          connection.peerAddress(),
          limit);
      body.discard();
      window.done(body.weight());
      return;
    }
    transport.host().onOneWay(connection, window, endpoint, body);
  }

  /**
   * Counts a message against its endpoint's window; a body beyond it is released before the
   * protocol error.
   */
  private InboundWindow arrive(MessageBody body, String endpoint) {
    try {
      return connection.inbound().arrive(endpoint, body.weight());
    } catch (ProtocolException beyondWindow) {
      body.discard();
      throw beyondWindow;
    }
  }

  /**
   * Releases a frame whose header could not be read and says why; the connection is then closed
   * with that reason. Nothing of a malformed frame outlives it.
   */
  private ProtocolException malformed(ByteBuf frame, byte type, RuntimeException cause) {
    int length = frame.writerIndex();
    frame.release();
    if (cause instanceof ProtocolException p) {
      return new ProtocolException(
          "Malformed "
              + Protocol.typeName(type)
              + " frame from "
              + connection.peerAddress()
              + ": "
              + p.getMessage());
    }
    return new ProtocolException(
        "Malformed "
            + Protocol.typeName(type)
            + " frame from "
            + connection.peerAddress()
            + ": it ends inside its header ("
            + length
            + " byte"
            + (length == 1 ? "" : "s")
            + " after the length)");
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

  private void control(ChannelHandlerContext ctx, byte type, ByteBuf frame) {
    switch (type) {
      case Protocol.FAILURE -> connection.asks().failureArrived(frame.readLong(), frame);
      case Protocol.PING -> ctx.writeAndFlush(Frames.pong(ctx.alloc()), ctx.voidPromise());
      case Protocol.PONG -> connection.keepalive().pongReceived();
      case Protocol.CLOSE -> {
        frame.readByte();
        connection.reason(
            "peer " + connection.peerAddress() + " closed it: " + Frames.readUtf8Short(frame),
            null);
      }
      case Protocol.CREDIT -> {
        String endpoint = names.read(frame);
        int count = frame.readInt();
        long bytes = frame.readLong();
        if (count <= 0 || bytes < (long) count * Protocol.MESSAGE_WEIGHT || frame.isReadable()) {
          throw new ProtocolException(
              "Malformed CREDIT frame from "
                  + connection.peerAddress()
                  + ": a count of "
                  + count
                  + " weighing "
                  + bytes
                  + " bytes"
                  + (frame.isReadable() ? " and " + frame.readableBytes() + " extra bytes" : ""));
        }
        connection.creditReceived(endpoint, count, bytes);
      }
      default ->
          throw new ProtocolException(
              "Unexpected frame type " + type + " from " + connection.peerAddress());
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    transport.onInactive(connection);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    closer.exceptionCaught(ctx, cause);
  }
}
