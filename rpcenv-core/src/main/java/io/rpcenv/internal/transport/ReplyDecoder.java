package io.rpcenv.internal.transport;

import io.rpcenv.internal.serialize.MessageSerializer;
import io.rpcenv.internal.serialize.RefResolver;
import java.io.IOException;

/**
 * How the transport turns the replies and failure reports it reads into values and exceptions: the
 * env's serializer, and refs inside them bound to the connection they came over. Given to the
 * transport once, so that a reply is completed where it is read, never handed up and back.
 */
public interface ReplyDecoder {
  /** The env's serializer. */
  MessageSerializer serializer();

  /**
   * Binds refs read off {@code connection} to it (or, for refs to listening envs, to their
   * address).
   */
  RefResolver refsFrom(Connection connection);

  /** Reads a body that arrived on {@code connection}; refs in it are bound to that connection. */
  default Object decode(MessageBody body, Connection connection)
      throws IOException, ClassNotFoundException {
    return body.read(serializer(), refsFrom(connection));
  }
}
