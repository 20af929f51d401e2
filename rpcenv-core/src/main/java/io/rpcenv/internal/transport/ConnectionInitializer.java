package io.rpcenv.internal.transport;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.rpcenv.RpcAddress;
import java.net.InetSocketAddress;

/**
 * Sets up the pipeline of every connection, accepted or dialed, the same way: the read gate first,
 * TLS when it is on, the frame decoder, the handshake (which removes itself once done) and the
 * frame router. For the listening socket it makes a {@link Connection} per accepted channel, once
 * the {@link Acceptor} has admitted it.
 */
final class ConnectionInitializer extends ChannelInitializer<SocketChannel> {
  private final Transport transport;
  private final Acceptor acceptor;
  private final Connection dialed;

  /** For the channels a listening socket accepts. */
  static ConnectionInitializer accepting(Transport transport, Acceptor acceptor) {
    return new ConnectionInitializer(transport, acceptor, null);
  }

  /** For the channel of a connection this env dials. */
  static ConnectionInitializer dialing(Transport transport, Connection connection) {
    return new ConnectionInitializer(transport, null, connection);
  }

  private ConnectionInitializer(Transport transport, Acceptor acceptor, Connection dialed) {
    this.transport = transport;
    this.acceptor = acceptor;
    this.dialed = dialed;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    InetSocketAddress socket = ch.remoteAddress();
    RpcAddress remote =
        dialed != null
            ? dialed.peerListenAddress()
            : socket != null
                // interned: thousands of clients of one host share its name
                ? new RpcAddress(socket.getHostString().intern(), socket.getPort())
                : null;
    String peer = remote != null ? remote.hostPort() : String.valueOf(socket);
    Connection c = dialed;
    if (c == null) {
      if (!acceptor.admit(peer)) {
        ch.close();
        return;
      }
      c = new Connection(transport, null);
      c.countedAsHandshaking = true;
    }
    TransportSettings s = transport.settings();
    if (s.tls() != null) {
      ch.pipeline()
          .addLast(
              "tls",
              dialed == null
                  ? s.tls().serverHandler(ch.alloc())
                  : s.tls().clientHandler(ch.alloc(), remote));
    }
    ReadGate gate = new ReadGate(ch);
    ch.pipeline().addFirst("gate", gate);
    FrameDecoder decoder =
        new FrameDecoder(
            remote != null ? remote : peer,
            s.maxMessageSize(),
            s.frameTimeout(),
            transport.frameBudget(),
            transport.spareArrays(),
            gate);
    decoder.countInto(c.traffic);
    ConnectionCloser closer = new ConnectionCloser(transport, c);
    ch.pipeline()
        .addLast("frames", decoder)
        .addLast("handshake", new HandshakeHandler(transport, c, decoder, closer))
        .addLast("rpc", new FrameRouter(transport, c, closer));
    c.channelCreated(ch, remote, gate);
    if (dialed == null) {
      transport.accepted(c, remote);
    }
  }
}
