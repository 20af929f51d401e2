package io.rpcenv.internal.message;

import io.netty.buffer.ByteBuf;
import io.rpcenv.RpcAddress;
import io.rpcenv.RpcException;
import io.rpcenv.internal.call.FailureCode;
import io.rpcenv.internal.call.Failures;
import io.rpcenv.internal.codec.Codec;
import io.rpcenv.internal.transport.Connection;
import io.rpcenv.internal.transport.FileSlice;
import io.rpcenv.internal.transport.InboundWindow;
import io.rpcenv.internal.transport.MessageBody;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ask that arrived over a connection. Holds the serialized message until a dispatcher thread
 * deserializes it; the answer goes back over the same connection.
 */
public final class RemoteAsk extends AskMessage {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteAsk.class);

  private final Codec codec;
  private final Connection connection;
  private final InboundWindow window;
  private final long requestId;
  private final MessageBody body;

  public RemoteAsk(
      Codec codec, Connection connection, InboundWindow window, long requestId, MessageBody body) {
    this.codec = codec;
    this.connection = connection;
    this.window = window;
    this.requestId = requestId;
    this.body = body;
  }

  @Override
  protected Object content() throws Exception {
    return codec.decode(body, connection);
  }

  @Override
  protected void doReply(Object response) {
    if (response instanceof FileSlice slice) {
      replyFromFile(slice);
      return;
    }
    ByteBuf frame;
    try {
      frame = codec.reply(requestId, response, this);
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
    String text =
        "Endpoint "
            + endpoint
            + " could not deserialize the ask from "
            + connection.peerAddress()
            + ": "
            + error;
    LOG.warn(text);
    writeFailure(FailureCode.SERIALIZATION, text, null);
  }

  @Override
  public void reject(RpcException reason) {
    body.discard();
    writeFailure(Failures.codeFor(reason), reason.getMessage(), null);
  }

  private void writeFailure(FailureCode code, String message, Throwable error) {
    write(codec.failure(requestId, code, message, error));
  }

  /** Sends the one answer this ask gets; from then on it no longer counts as in progress. */
  private void write(ByteBuf frame) {
    connection.sendReply(frame, null);
    window.done(body.weight());
  }

  /**
   * A file's bytes as a {@code byte[]} reply: on a plaintext connection they go from the file to
   * the socket after the frame's head; under TLS (which must encrypt them) they are read first.
   */
  private void replyFromFile(FileSlice slice) {
    ByteBuf head =
        connection.sendsFilesDirectly()
            ? codec.bytesReplyHead(requestId, slice.count(), this)
            : null;
    if (head != null) {
      connection.sendReply(head, slice);
      window.done(body.weight());
      return;
    }
    byte[] bytes;
    try {
      bytes = slice.read();
    } catch (IOException e) {
      doFail(e);
      return;
    }
    doReply(bytes);
  }

  @Override
  public RpcAddress senderAddress() {
    return connection.peerAddress();
  }

  /** Described lazily in error texts, e.g. "the reply to ask #7 from host:port". */
  @Override
  public String toString() {
    return describe();
  }

  @Override
  protected String describe() {
    return "ask #" + requestId + " from " + connection.peerAddress();
  }
}
