package io.rpcenv.internal;

import io.netty.buffer.ByteBuf;
import io.rpcenv.RpcEndpoint;
import io.rpcenv.RpcEnvStoppedException;
import io.rpcenv.RpcException;
import io.rpcenv.internal.dispatch.InboxMessage;
import io.rpcenv.internal.transport.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A one-way message that arrived over a connection; the sender learns nothing of its fate. */
final class RemoteOneWay extends InboxMessage {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteOneWay.class);

  private final NettyRpcEnv env;
  private final Connection connection;
  private final String endpoint;
  private ByteBuf body;

  RemoteOneWay(NettyRpcEnv env, Connection connection, String endpoint, ByteBuf body) {
    this.env = env;
    this.connection = connection;
    this.endpoint = endpoint;
    this.body = body;
  }

  @Override
  protected Object content() throws Exception {
    ByteBuf b = body;
    body = null;
    try {
      return env.codec.decode(b, connection);
    } finally {
      b.release();
    }
  }

  @Override
  protected void invoke(RpcEndpoint target, Object content) {
    target.receive(content);
  }

  @Override
  protected void undeliverable(Throwable error, String where) {
    LOG.warn("Dropped {}: endpoint {} could not deserialize it: {}", describe(), where, error.toString());
  }

  @Override
  public void reject(RpcException reason) {
    ByteBuf b = body;
    body = null;
    if (b != null) {
      b.release();
    }
    if (reason instanceof RpcEnvStoppedException) {
      LOG.debug("Dropped {}: {}", describe(), reason.getMessage());
    } else {
      LOG.warn("Dropped {}: {}", describe(), reason.getMessage());
    }
  }

  @Override
  protected String describe() {
    return "one-way message to '" + endpoint + "' from " + connection.peerAddress();
  }
}
