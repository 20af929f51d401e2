package io.rpcenv.internal.transport;

import io.rpcenv.RpcAddress;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which listen addresses that accepted peers claim in their HELLO are believed. A peer
 * whose claim is not believed is known by its socket address, in events, in the sender address
 * endpoints see, and for reusing its connection. A claim is believed only on the host the
 * connection comes from, and never when it names the address another open connection comes from: no
 * env listens on a port it also connects from, so such a claim is false, and would let a stranger
 * speak or report events in another peer's name.
 */
final class ListenClaims {
  private static final Logger LOG = LoggerFactory.getLogger(ListenClaims.class);

  /** Accepted connections by the address they come from. */
  private final Map<RpcAddress, Connection> bySocket = new ConcurrentHashMap<>();

  /**
   * The claimed listen address of {@code c}, whose handshake just completed, if it holds; else
   * null.
   */
  RpcAddress verify(Connection c) {
    RpcAddress claim = c.claimedListenAddress();
    RpcAddress socket = c.socketAddress();
    if (claim == null || socket == null) {
      return null;
    }
    if (!claim.host().equals(socket.host())) {
      LOG.debug(
          "{} claims to listen at {}, on another host; it is known by its socket address",
          socket,
          claim);
      return null;
    }
    if (bySocket.containsKey(claim)) {
      LOG.warn(
          "Connection from {} claims to listen at {}, the address another open connection comes"
              + " from; the claim is ignored and the peer is known as {}",
          socket,
          claim,
          socket);
      return null;
    }
    return claim;
  }

  /**
   * {@code c} was accepted from {@code socket}: a peer that claimed to listen there lied (the port
   * is in use as a source port), so its claim is withdrawn, and with it its index entry.
   */
  void accepted(
      Connection c,
      RpcAddress socket,
      Collection<Connection> open,
      Map<RpcAddress, Connection> byAddress) {
    if (socket == null) {
      return;
    }
    bySocket.put(socket, c);
    for (Connection other : open) {
      if (other != c && !other.isOutbound() && socket.equals(other.peerListenAddress())) {
        LOG.warn(
            "A connection arrived from {}, where the peer of another connection ({}) claimed to"
                + " listen; that claim is withdrawn",
            socket,
            other.socketAddress());
        other.verifiedListenAddress(null);
        byAddress.remove(socket, other);
      }
    }
  }

  /** {@code c} closed. */
  void removed(Connection c) {
    RpcAddress socket = c.socketAddress();
    if (!c.isOutbound() && socket != null) {
      bySocket.remove(socket, c);
    }
  }
}
