package io.rpcenv.internal.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.rpcenv.RpcMetricFamily;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The env-wide figures of its connections: those open now, and everything refused. All are counted
 * on paths that already do rare work (a refusal, a lookup, a connection opening), so none costs
 * anything per message.
 */
public final class TransportMetrics {
  /** Why a handshake was refused: the values of the {@code reason} label. */
  public static final String AUTHENTICATION = "authentication";

  public static final String TLS = "tls";
  public static final String PROTOCOL = "protocol";
  public static final String LIMIT = "limit";

  private final MetricRegistry registry;
  private final Map<String, Counter> refused = new TreeMap<>();
  private final Counter tooLarge = new Counter();
  private final Counter undeliverable = new Counter();
  private final Counter backpressure = new Counter();
  private final Counter lookups = new Counter();
  private final Counter lookupFailures = new Counter();
  private final Counter pingsSent = new Counter();
  private final Counter pingsMissed = new Counter();

  TransportMetrics(MetricRegistry registry) {
    this.registry = registry;
    for (String reason : new String[] {AUTHENTICATION, TLS, PROTOCOL, LIMIT}) {
      Counter c = new Counter();
      refused.put(reason, c);
      registry.register(RpcMetricFamily.HANDSHAKES_REFUSED.series("reason", reason), c);
    }
    registry.register(RpcMetricFamily.FRAMES_REFUSED.series("reason", "too_large"), tooLarge);
    registry.register(
        RpcMetricFamily.FRAMES_REFUSED.series("reason", "undeliverable"), undeliverable);
    registry.register(RpcMetricFamily.BACKPRESSURE.series(), backpressure);
    registry.register(RpcMetricFamily.LOOKUPS.series(), lookups);
    registry.register(RpcMetricFamily.LOOKUP_FAILURES.series(), lookupFailures);
    registry.register(RpcMetricFamily.PINGS.series("result", "sent"), pingsSent);
    registry.register(RpcMetricFamily.PINGS.series("result", "missed"), pingsMissed);
  }

  /** Gauges of the connections open now, read from {@code inbound} and {@code outbound}. */
  public void connections(
      boolean tls,
      LongSupplier inbound,
      LongSupplier outbound,
      LongSupplier inboundHandshaking,
      LongSupplier outboundHandshaking) {
    String t = String.valueOf(tls);
    registry.register(
        RpcMetricFamily.CONNECTIONS.series("direction", "in", "tls", t),
        (Gauge<Long>) inbound::getAsLong);
    registry.register(
        RpcMetricFamily.CONNECTIONS.series("direction", "out", "tls", t),
        (Gauge<Long>) outbound::getAsLong);
    registry.register(
        RpcMetricFamily.CONNECTIONS_HANDSHAKING.series("direction", "in"),
        (Gauge<Long>) inboundHandshaking::getAsLong);
    registry.register(
        RpcMetricFamily.CONNECTIONS_HANDSHAKING.series("direction", "out"),
        (Gauge<Long>) outboundHandshaking::getAsLong);
  }

  /** Counters of all frames and bytes read and written, summed when read. */
  public void traffic(
      LongSupplier framesIn, LongSupplier bytesIn, LongSupplier framesOut, LongSupplier bytesOut) {
    registry.register(RpcMetricFamily.FRAMES.series("direction", "in"), new Summed(framesIn));
    registry.register(RpcMetricFamily.BYTES.series("direction", "in"), new Summed(bytesIn));
    registry.register(RpcMetricFamily.FRAMES.series("direction", "out"), new Summed(framesOut));
    registry.register(RpcMetricFamily.BYTES.series("direction", "out"), new Summed(bytesOut));
  }

  /**
   * Gauges of the asks outstanding and the outbox bytes on one connection, to {@code peer} ({@code
   * host:port}) in {@code direction}; returns what takes it out of the registry again. A newer
   * connection to the same peer takes the series over.
   */
  public Runnable peer(
      String peer, String direction, LongSupplier asksOutstanding, LongSupplier outboxBytes) {
    Gauge<Long> asks = asksOutstanding::getAsLong;
    Gauge<Long> outbox = outboxBytes::getAsLong;
    return new TakenOverSeries(
        registry,
        Map.of(
            RpcMetricFamily.PEER_ASKS.series("peer", peer, "direction", direction),
            asks,
            RpcMetricFamily.PEER_OUTBOX.series("peer", peer, "direction", direction),
            outbox));
  }

  /** A counter whose count is computed when read. */
  private static final class Summed extends Counter {
    private final LongSupplier count;

    Summed(LongSupplier count) {
      this.count = count;
    }

    @Override
    public long getCount() {
      return count.getAsLong();
    }
  }

  /** A handshake was refused for {@code reason} (one of this class's constants). */
  public void handshakeRefused(String reason) {
    refused.get(reason).inc();
  }

  /** A frame was refused for being larger than spark.rpc.message.maxSize allows. */
  public void frameTooLarge() {
    tooLarge.inc();
  }

  /** A message could not be deserialized (refused by the filter, or broken). */
  public void undeliverable() {
    undeliverable.inc();
  }

  /** A send or ask was refused because an outbox, window or ask limit was full. */
  public void backpressure() {
    backpressure.inc();
  }

  /** A keepalive ping was written to a quiet connection. */
  public void pingSent() {
    pingsSent.inc();
  }

  /** A keepalive ping went unanswered, so the connection was closed as dead. */
  public void pingMissed() {
    pingsMissed.inc();
  }

  /** A lookup ended; {@code ok} whether it found its endpoint. */
  public void lookup(boolean ok) {
    lookups.inc();
    if (!ok) {
      lookupFailures.inc();
    }
  }
}
