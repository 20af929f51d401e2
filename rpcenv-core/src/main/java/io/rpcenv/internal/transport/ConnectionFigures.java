package io.rpcenv.internal.transport;

import io.rpcenv.internal.metrics.TransportMetrics;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;

/**
 * The metrics of a transport's connections, computed when read: how many are open, what they read
 * and wrote (the open ones' {@link Traffic} plus what closed ones had), and each ready connection's
 * outstanding asks and outbox bytes under its peer's address. Nothing here runs per message.
 */
final class ConnectionFigures {
  private final Set<Connection> connections;
  private final TransportMetrics metrics;
  private final LongAdder[] closed = {
    new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()
  };

  /** Each ready connection's series, kept on the connection: no table entry per connection. */
  private static final AtomicReferenceFieldUpdater<Connection, Runnable> SERIES =
      AtomicReferenceFieldUpdater.newUpdater(Connection.class, Runnable.class, "peerSeries");

  /** Reads {@code connections}, the transport's set of open connections. */
  ConnectionFigures(Set<Connection> connections, TransportMetrics metrics, boolean tls) {
    this.connections = connections;
    this.metrics = metrics;
    metrics.connections(
        tls,
        () -> count(false, false),
        () -> count(true, false),
        () -> count(false, true),
        () -> count(true, true));
    metrics.traffic(
        () -> sum(0, Traffic::framesIn),
        () -> sum(1, Traffic::bytesIn),
        () -> sum(2, Traffic::framesOut),
        () -> sum(3, Traffic::bytesOut));
  }

  /** {@code c}'s handshake is done: its peer is known, its series can be named. */
  void ready(Connection c) {
    if (c.peerAddress() != null) {
      SERIES.set(
          c,
          metrics.peer(
              c.peerAddress().hostPort(),
              c.isOutbound() ? "out" : "in",
              () -> c.asks().outstanding(),
              () -> c.writes.pendingBytes() + c.windows.heldBytes()));
      if (!connections.contains(c)) { // removed meanwhile: removed() may have missed the series
        dropSeries(c);
      }
    }
  }

  /** {@code c} left the transport's set: keep its traffic in the totals, drop its series. */
  void removed(Connection c) {
    Traffic t = c.traffic;
    closed[0].add(t.framesIn());
    closed[1].add(t.bytesIn());
    closed[2].add(t.framesOut());
    closed[3].add(t.bytesOut());
    dropSeries(c);
  }

  private void dropSeries(Connection c) {
    Runnable unregister = SERIES.getAndSet(c, null);
    if (unregister != null) {
      unregister.run();
    }
  }

  /** Open connections in one direction; with {@code handshaking}, those not yet ready. */
  private long count(boolean outbound, boolean handshaking) {
    long n = 0;
    for (Connection c : connections) {
      if (c.isOutbound() == outbound && (!handshaking || c.state() == ConnectionState.CONNECTING)) {
        n++;
      }
    }
    return n;
  }

  private long sum(int which, ToLongFunction<Traffic> open) {
    long n = closed[which].sum();
    for (Connection c : connections) {
      n += open.applyAsLong(c.traffic);
    }
    return n;
  }
}
