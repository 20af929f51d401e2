package io.rpcenv.internal;

import io.rpcenv.RpcAddress;
import io.rpcenv.RpcEndpointNotFoundException;
import io.rpcenv.RpcEnvStoppedException;
import io.rpcenv.internal.codec.Codec;
import io.rpcenv.internal.dispatch.Dispatcher;
import io.rpcenv.internal.dispatch.Inbox;
import io.rpcenv.internal.dispatch.InboxMessage;
import io.rpcenv.internal.dispatch.NetworkEvent;
import io.rpcenv.internal.message.RemoteAsk;
import io.rpcenv.internal.message.RemoteOneWay;
import io.rpcenv.internal.transport.Connection;
import io.rpcenv.internal.transport.InboundWindow;
import io.rpcenv.internal.transport.MessageBody;
import io.rpcenv.internal.transport.TransportHost;

/**
 * What arrives from the network (the job of Spark's {@code NettyRpcHandler}): asks and one-way
 * messages go to their endpoint's inbox, or are refused with a reason; connection events go to
 * every endpoint, addressed as Spark does.
 */
final class Inbound implements TransportHost {
  private final NettyRpcEnv env;
  private final Dispatcher dispatcher;
  private final Codec codec;

  Inbound(NettyRpcEnv env, Dispatcher dispatcher, Codec codec) {
    this.env = env;
    this.dispatcher = dispatcher;
    this.codec = codec;
  }

  @Override
  public long envId() {
    return env.envId();
  }

  @Override
  public RpcAddress listenAddress() {
    return env.address();
  }

  @Override
  public void onRequest(
      Connection connection,
      InboundWindow window,
      long requestId,
      String endpoint,
      MessageBody body) {
    deliver(endpoint, new RemoteAsk(codec, connection, window, requestId, body));
  }

  @Override
  public void onOneWay(
      Connection connection, InboundWindow window, String endpoint, MessageBody body) {
    deliver(endpoint, new RemoteOneWay(codec, connection, window, endpoint, body));
  }

  private void deliver(String endpoint, InboxMessage message) {
    if (dispatcher.isStopped()) {
      message.reject(new RpcEnvStoppedException(env.where() + " is shutting down"));
      return;
    }
    Inbox inbox = dispatcher.inbox(endpoint);
    if (inbox == null) {
      message.reject(
          new RpcEndpointNotFoundException(
              "Cannot find endpoint: "
                  + endpoint
                  + " (no endpoint '"
                  + endpoint
                  + "' is registered in "
                  + env.where()
                  + ")"));
    } else {
      inbox.deliverInlineOrPost(message);
    }
  }

  @Override
  public void onConnected(Connection connection) {
    postEvents(connection, NetworkEvent.Kind.CONNECTED, null);
  }

  @Override
  public void onDisconnected(Connection connection) {
    postEvents(connection, NetworkEvent.Kind.DISCONNECTED, null);
  }

  @Override
  public void onNetworkError(Connection connection, Throwable cause) {
    postEvents(connection, NetworkEvent.Kind.ERROR, cause);
  }

  /**
   * Spark's addressing of events: the socket address, and a server-mode peer's listen address too.
   */
  private void postEvents(Connection connection, NetworkEvent.Kind kind, Throwable cause) {
    if (env.isShutdown()) {
      return; // our own shutdown closes connections: endpoints hear nothing of it
    }
    RpcAddress socket = connection.socketAddress();
    RpcAddress listen = connection.peerListenAddress();
    if (socket != null) {
      dispatcher.postToAll(() -> new NetworkEvent(kind, socket, cause));
    }
    if (listen != null && !listen.equals(socket)) {
      dispatcher.postToAll(() -> new NetworkEvent(kind, listen, cause));
    }
  }
}
