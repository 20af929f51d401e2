package io.rpcenv.internal;

import io.netty.buffer.ByteBuf;
import io.rpcenv.RpcAddress;
import io.rpcenv.RpcConnectionException;
import io.rpcenv.RpcException;
import io.rpcenv.internal.call.FailureCode;
import io.rpcenv.internal.call.Failures;
import io.rpcenv.internal.transport.Connection;
import io.rpcenv.internal.transport.Frames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ask that arrived over a connection. Holds the serialized message until a dispatcher thread
 * deserializes it; the answer goes back over the same connection.
 */
final class RemoteAsk extends AskMessage {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteAsk.class);

  private final NettyRpcEnv env;
  private final Connection connection;
  private final long requestId;
  private ByteBuf body;

  RemoteAsk(NettyRpcEnv env, Connection connection, long requestId, ByteBuf body) {
    this.env = env;
    this.connection = connection;
    this.requestId = requestId;
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
  protected void doReply(Object response) {
    ByteBuf frame;
    try {
      frame = Frames.response(env.codec.alloc, requestId, response, env.codec.serializer, env.codec.maxSize, "reply",
          "ask #" + requestId + " from " + connection.peerAddress());
    } catch (RpcException e) {
      // The asker must not wait for a reply that will never come.
      writeFailure(Failures.codeFor(e), e.getMessage(), null);
      throw e;
    }
    write(frame);
  }

  @Override
  protected void doFail(Throwable cause) {
    writeFailure(FailureCode.ENDPOINT_FAILED, cause.getMessage(), cause);
  }

  @Override
  protected void undeliverable(Throwable error, String endpoint) {
    String text = "Endpoint " + endpoint + " could not deserialize the ask from " + connection.peerAddress() + ": "
        + error;
    LOG.warn(text);
    writeFailure(FailureCode.SERIALIZATION, text, null);
  }

  @Override
  public void reject(RpcException reason) {
    ByteBuf b = body;
    body = null;
    if (b != null) {
      b.release();
    }
    writeFailure(Failures.codeFor(reason), reason.getMessage(), null);
  }

  private void writeFailure(FailureCode code, String message, Throwable error) {
    write(Frames.failure(env.codec.alloc, requestId, code, message, error, env.codec.serializer, env.codec.maxSize));
  }

  private void write(ByteBuf frame) {
    try {
      connection.send(frame);
    } catch (RpcConnectionException e) {
      // The asker already learned that the connection closed.
      LOG.debug("Answer to ask #{} not sent: {}", requestId, e.getMessage());
    }
  }

  @Override
  public RpcAddress senderAddress() {
    return connection.peerAddress();
  }

  @Override
  protected String describe() {
    return "ask #" + requestId + " from " + connection.peerAddress();
  }
}
