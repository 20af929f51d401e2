package io.rpcenv.internal.transport;

import io.rpcenv.RpcAddress;

/**
 * What the transport needs from the env it serves: where asks, one-way messages and connection
 * events go. Replies and failures never come here: the connection's {@link OutstandingAsks}
 * complete their asks themselves.
 */
public interface TransportHost {
  /** Random id of this env, sent in the handshake. */
  long envId();

  /** Where this env listens, or null in client mode. */
  RpcAddress listenAddress();

  /**
   * An ask arrived; the host owns {@code body} (the serialized message) and must read or discard
   * it, and calls {@code window.done()} once the ask is answered.
   */
  void onRequest(
      Connection connection,
      InboundWindow window,
      long requestId,
      String endpoint,
      MessageBody body);

  /**
   * A one-way message arrived; the host owns {@code body} and calls {@code window.done()} once it
   * is handled.
   */
  void onOneWay(Connection connection, InboundWindow window, String endpoint, MessageBody body);

  /** A connection completed its handshake. */
  void onConnected(Connection connection);

  /** A connection that had completed its handshake closed. */
  void onDisconnected(Connection connection);

  /** An error occurred on a connection that had completed its handshake. */
  void onNetworkError(Connection connection, Throwable cause);
}
