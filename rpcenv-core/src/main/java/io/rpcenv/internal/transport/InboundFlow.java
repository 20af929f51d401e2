package io.rpcenv.internal.transport;

import io.netty.channel.Channel;
import java.util.HashMap;

/**
 * The receiving side of flow control on one connection: the {@link InboundWindow} of each endpoint
 * the peer sends to. A peer that writes beyond the credit it was given breaks the protocol (an
 * honest one holds such messages back). Event loop only.
 */
final class InboundFlow {
  private final Connection connection;
  private final int window;
  private final HashMap<String, InboundWindow> windows = new HashMap<>(4);

  InboundFlow(Connection connection, int window) {
    this.connection = connection;
    this.window = window;
  }

  /**
   * Counts a request or one-way message to {@code endpoint}; throws if the peer went beyond its
   * credit.
   */
  InboundWindow arrive(String endpoint) {
    InboundWindow w = windows.get(endpoint);
    if (w == null) {
      w = new InboundWindow(connection, endpoint, window);
      windows.put(endpoint, w);
    }
    if (!w.arrive()) {
      throw new ProtocolException(
          connection.peerAddress()
              + " sent more messages to endpoint '"
              + endpoint
              + "' than its window allows ("
              + w.allowed()
              + " so far; spark.rpc.io.maxInflightMessages of this env is "
              + window
              + ")");
    }
    return w;
  }

  /**
   * Writes the credit of every message handled but not yet given back (without flushing), so that a
   * peer this env leaves in order learns that they were handled.
   */
  void writeRemainingCredit(Channel ch) {
    for (InboundWindow w : windows.values()) {
      int n = w.takeHandled();
      if (n > 0) {
        ch.write(w.creditFrame(ch.alloc(), n), ch.voidPromise());
      }
    }
  }
}
