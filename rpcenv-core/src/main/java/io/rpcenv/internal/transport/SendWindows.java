package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;
import io.rpcenv.RpcBackpressureException;
import io.rpcenv.internal.metrics.TransportMetrics;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * The {@link SendWindow} of each endpoint this env sends to over one connection. Senders look their
 * endpoint's window up (and are refused when too much already waits in it); the event loop admits,
 * holds and releases messages through it.
 */
final class SendWindows {
  private final Connection connection;
  private final TransportMetrics metrics;
  private final long maxHeldBytes;
  private final ConcurrentHashMap<String, SendWindow> windows = new ConcurrentHashMap<>(4);

  SendWindows(Connection connection, long maxHeldBytes, TransportMetrics metrics) {
    this.metrics = metrics;
    this.connection = connection;
    this.maxHeldBytes = maxHeldBytes;
  }

  /** The window of {@code endpoint}, made on first use. Any thread. */
  SendWindow of(String endpoint) {
    SendWindow w = windows.get(endpoint);
    return w != null ? w : windows.computeIfAbsent(endpoint, SendWindow::new);
  }

  /**
   * Refuses {@code frame} (releasing it) when the endpoint already has spark.rpc.outbox.maxBytes
   * held: that endpoint is not keeping up with its senders. Any thread.
   */
  void checkRoom(SendWindow window, ByteBuf frame, String outcome) {
    long held = window.heldBytes();
    if (held + frame.readableBytes() > maxHeldBytes) {
      frame.release();
      metrics.backpressure();
      throw new RpcBackpressureException(
          "Endpoint '"
              + window.endpoint()
              + "' at "
              + connection.peerAddress()
              + " is not keeping up: "
              + held
              + " bytes of messages to it wait for it to handle those in progress"
              + " (spark.rpc.io.maxInflightMessages and spark.rpc.io.maxInflightBytes of the"
              + " receiving env), and "
              + frame.readableBytes()
              + " more would exceed spark.rpc.outbox.maxBytes ("
              + maxHeldBytes
              + " bytes). "
              + outcome);
    }
  }

  /**
   * The window of an endpoint credit arrived for, or null if this env never wrote to it. Event
   * loop.
   */
  SendWindow credited(String endpoint) {
    return windows.get(endpoint);
  }

  /**
   * Releases every held message with {@code release}; returns the sum of what it returns. Event
   * loop.
   */
  int releaseHeld(ToIntFunction<OutboundMessage> release) {
    int n = 0;
    for (SendWindow w : windows.values()) {
      OutboundMessage m;
      while ((m = w.pollHeld()) != null) {
        n += release.applyAsInt(m);
      }
    }
    return n;
  }

  /** Bytes held in every window until the peer gives credit, for the metrics. Any thread. */
  long heldBytes() {
    long n = 0;
    for (SendWindow w : windows.values()) {
      n += w.heldBytes();
    }
    return n;
  }

  /** One-way messages written that the peer has not confirmed handling. Event loop. */
  long unconfirmedOneWays() {
    long n = 0;
    for (SendWindow w : windows.values()) {
      n += w.unconfirmedOneWays();
    }
    return n;
  }
}
