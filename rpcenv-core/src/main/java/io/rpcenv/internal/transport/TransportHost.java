package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;
import io.rpcenv.RpcAddress;
import io.rpcenv.internal.call.PendingAsk;

/** What the transport needs from the env it serves: where inbound traffic and events go. */
public interface TransportHost {
  /** Random id of this env, sent in the handshake. */
  long envId();

  /** Where this env listens, or null in client mode. */
  RpcAddress listenAddress();

  /**
   * An ask arrived; the host owns {@code body} (the serialized message) and must read or discard
   * it, and calls {@code window.done()} once the ask is answered.
   */
  void onRequest(Connection connection, InboundWindow window, long requestId, String endpoint, MessageBody body);

  /** A one-way message arrived; the host owns {@code body} and calls {@code window.done()} once it is handled. */
  void onOneWay(Connection connection, InboundWindow window, String endpoint, MessageBody body);

  /** A reply for {@code ask} arrived; deserialize {@code body} (discarded afterwards) and complete the ask. */
  void onResponse(Connection connection, PendingAsk<?> ask, MessageBody body);

  /** A failure for {@code ask} arrived; {@code frame} (not owned) is positioned after the request id. */
  void onFailure(Connection connection, PendingAsk<?> ask, ByteBuf frame);

  /** A connection completed its handshake. */
  void onConnected(Connection connection);

  /** A connection that had completed its handshake closed. */
  void onDisconnected(Connection connection);

  /** An error occurred on a connection that had completed its handshake. */
  void onNetworkError(Connection connection, Throwable cause);
}
