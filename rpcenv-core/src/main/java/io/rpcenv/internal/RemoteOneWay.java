package io.rpcenv.internal;

import io.netty.buffer.ByteBuf;
import io.rpcenv.RpcException;
import io.rpcenv.internal.transport.Connection;

/** A one-way message that arrived over a connection; the sender learns nothing of its fate. */
final class RemoteOneWay extends OneWayMessage {
  private final Codec codec;
  private final Connection connection;
  private final String endpoint;
  private final WireBody body;

  RemoteOneWay(Codec codec, Connection connection, String endpoint, ByteBuf body) {
    this.codec = codec;
    this.connection = connection;
    this.endpoint = endpoint;
    this.body = new WireBody(body);
  }

  @Override
  protected Object content() throws Exception {
    return body.read(codec, connection);
  }

  @Override
  public void reject(RpcException reason) {
    body.discard();
    connection.inboundDone();
    super.reject(reason);
  }

  @Override
  protected void afterProcessing() {
    connection.inboundDone();
  }

  @Override
  protected String describe() {
    return "one-way message to '" + endpoint + "' from " + connection.peerAddress();
  }
}
