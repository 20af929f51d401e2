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
  private final long windowBytes;
  private final HashMap<String, InboundWindow> windows = new HashMap<>(4);

  InboundFlow(Connection connection, int window, long windowBytes) {
    this.connection = connection;
    this.window = window;
    this.windowBytes = windowBytes;
  }

  /**
   * Counts a request or one-way message of {@code weight} to {@code endpoint}; throws if the peer
   * went beyond its credit.
   */
  InboundWindow arrive(String endpoint, long weight) {
    InboundWindow w = windows.get(endpoint);
    if (w == null) {
      w = new InboundWindow(connection, endpoint, window, windowBytes);
      windows.put(endpoint, w);
    }
    if (!w.arrive(weight)) {
      throw new ProtocolException(
          connection.peerAddress()
              + " sent more messages to endpoint '"
              + endpoint
              + "' than its window allows ("
              + w.allowed()
              + " messages allowed so far, "
              + w.bytesInProgress()
              + " bytes in progress; spark.rpc.io.maxInflightMessages of this env is "
              + window
              + " and spark.rpc.io.maxInflightBytes is "
              + windowBytes
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
      long handled = w.takeHandled();
      if (handled != 0) {
        ch.write(
            w.creditFrame(ch.alloc(), InboundWindow.count(handled), InboundWindow.bytes(handled)),
            ch.voidPromise());
      }
    }
  }
}
