package io.rpcenv.internal.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.rpcenv.RpcAuthenticationException;
import io.rpcenv.internal.metrics.TransportMetrics;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one connection ends when something goes wrong: an error put in words (TLS, protocol, I/O, or
 * a bug), the reason told to the peer in a CLOSE frame, and a short linger that reads and drops
 * what the peer still sends, so that it gets the reason instead of a reset. Shared by the
 * connection's handshake and frame handlers. Event loop only.
 */
final class ConnectionCloser {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionCloser.class);

  /** How long a connection closed with a reason keeps draining the peer's input. */
  private static final long CLOSE_LINGER_MILLIS = 1000;

  private final Transport transport;
  private final Connection connection;
  private boolean closing;

  /** Whether the peer has yet to get our preface, which it reads before any frame. */
  private BooleanSupplier prefaceOwed = () -> false;

  ConnectionCloser(Transport transport, Connection connection) {
    this.transport = transport;
    this.connection = connection;
  }

  /** Set by the handshake while it may owe the peer the preface; cleared when it is done. */
  void prefaceOwed(BooleanSupplier owed) {
    prefaceOwed = owed;
  }

  /** Whether a reason was sent: from then on the peer's frames are only read and dropped. */
  boolean isClosing() {
    return closing;
  }

  /**
   * Any error that reached the end of the pipeline: closes the connection, saying why where it can.
   */
  void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable root =
        cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (root instanceof SSLException || root instanceof NotSslRecordException) {
      String what =
          "TLS handshake with "
              + connection.peerAddress()
              + " failed: "
              + TlsFailures.describe(root);
      LOG.warn(what);
      transport.metrics().handshakeRefused(TransportMetrics.TLS);
      connection.fail(new RpcAuthenticationException(what, connection.peerAddress(), root));
      connection.reason(what, root);
      ctx.close();
    } else if (root instanceof FrameTooLargeException || root instanceof ProtocolException) {
      if (root instanceof FrameTooLargeException) {
        transport.metrics().frameTooLarge();
      } else if (!connection.handshakeDone()) {
        transport.metrics().handshakeRefused(TransportMetrics.PROTOCOL);
      }
      LOG.warn("Closing connection with {}: {}", connection.socketAddress(), root.getMessage());
      if (connection.handshakeDone()) {
        transport.host().onNetworkError(connection, root);
      }
      close(ctx, Protocol.CLOSE_OTHER, root.getMessage(), root);
    } else {
      if (root instanceof IOException) {
        LOG.debug("I/O error on connection with {}: {}", connection.peerAddress(), root.toString());
      } else {
        transport.unexpectedError();
        LOG.warn("Error on connection with {}; closing it", connection.peerAddress(), root);
      }
      connection.reason(root instanceof IOException io ? describe(io) : root.toString(), root);
      if (connection.handshakeDone()) {
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
  void close(ChannelHandlerContext ctx, byte code, String reason, Throwable cause) {
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
    if (prefaceOwed.getAsBoolean()) {
      ctx.write(Frames.prefaceOnly(ctx.alloc()));
    }
    ctx.writeAndFlush(Frames.close(ctx.alloc(), code, reason))
        .addListener(
            (ChannelFuture written) -> {
              if (!written.isSuccess()) {
                ch.close();
                return;
              }
              // Under TLS a half-close would cut the record stream, so there the peer's own close
              // (on
              // reading our CLOSE frame) or the linger ends it.
              if (ch instanceof DuplexChannel duplex
                  && ch.pipeline().get(SslHandler.class) == null) {
                duplex.shutdownOutput();
              }
              connection
                  .readGate()
                  .drain(); // read what the peer sends until it closes, or the linger ends
              ch.eventLoop().schedule(() -> ch.close(), CLOSE_LINGER_MILLIS, TimeUnit.MILLISECONDS);
            });
  }
}
