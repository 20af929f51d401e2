package io.rpcenv.internal.message;

import io.rpcenv.RpcException;
import io.rpcenv.internal.codec.Codec;
import io.rpcenv.internal.transport.Connection;
import io.rpcenv.internal.transport.InboundWindow;
import io.rpcenv.internal.transport.MessageBody;

/** A one-way message that arrived over a connection; the sender learns nothing of its fate. */
public final class RemoteOneWay extends OneWayMessage {
  private final Codec codec;
  private final Connection connection;
  private final InboundWindow window;
  private final String endpoint;
  private final MessageBody body;

  public RemoteOneWay(
      Codec codec, Connection connection, InboundWindow window, String endpoint, MessageBody body) {
    this.codec = codec;
    this.connection = connection;
    this.window = window;
    this.endpoint = endpoint;
    this.body = body;
  }

  @Override
  protected Object content() throws Exception {
    return codec.decode(body, connection);
  }

  @Override
  public void reject(RpcException reason) {
    body.discard();
    window.done(body.weight());
    super.reject(reason);
  }

  @Override
  protected void afterProcessing() {
    window.done(body.weight());
  }

  @Override
  protected String describe() {
    return "one-way message to '" + endpoint + "' from " + connection.peerAddress();
  }
}
