package io.rpcenv;

import java.util.Map;
import java.util.TreeMap;

/**
 * One family of the metrics every env keeps ({@link RpcEnv#metrics()}): its Prometheus name, type,
 * labels and meaning. A series of the family is in the registry under {@link #series}, its name
 * with the labels ({@code rpcenv_endpoint_handling_seconds{endpoint="echo"}}), so the registry
 * alone says everything the Prometheus text needs. {@link #ALL} lists them, as the README does.
 */
public record RpcMetricFamily(String name, String type, String labels, String help) {
  /** Every family, by name: the table the README documents. */
  public static final Map<String, RpcMetricFamily> ALL = new TreeMap<>();

  public static final RpcMetricFamily MESSAGES_RECEIVED =
      define(
          "rpcenv_endpoint_messages_received_total",
          "counter",
          "endpoint, kind",
          "Messages an endpoint received, by kind (one_way, ask), counted as its inbox handles"
              + " them.");
  public static final RpcMetricFamily ASKS_ANSWERED =
      define(
          "rpcenv_endpoint_asks_answered_total",
          "counter",
          "endpoint",
          "Asks an endpoint replied to.");
  public static final RpcMetricFamily ASKS_FAILED =
      define(
          "rpcenv_endpoint_asks_failed_total",
          "counter",
          "endpoint",
          "Asks an endpoint failed (sendFailure, or its code threw).");
  public static final RpcMetricFamily HANDLING =
      define(
          "rpcenv_endpoint_handling_seconds",
          "histogram",
          "endpoint",
          "Time an endpoint's code took per message (until receive or receiveAndReply returned),"
              + " measured for one message in 16.");
  public static final RpcMetricFamily INBOX_DEPTH =
      define(
          "rpcenv_endpoint_inbox_depth",
          "gauge",
          "endpoint",
          "Messages and network events waiting in an endpoint's inbox.");
  public static final RpcMetricFamily INBOX_DEPTH_MAX =
      define(
          "rpcenv_endpoint_inbox_depth_max",
          "gauge",
          "endpoint",
          "The deepest an endpoint's inbox was when its depth was read.");
  public static final RpcMetricFamily STALL_WARNINGS =
      define(
          "rpcenv_endpoint_stall_warnings_total",
          "counter",
          "endpoint",
          "Warnings that an endpoint ran one message longer than"
              + " spark.rpc.dispatcher.stallWarning.");

  public static final RpcMetricFamily ASK_LATENCY =
      define(
          "rpcenv_ask_seconds",
          "histogram",
          "endpoint, peer",
          "Time from ask to outcome on the asking side, per endpoint asked and its peer (host:port,"
              + " or local), measured for one ask in 16.");
  public static final RpcMetricFamily ASKS =
      define(
          "rpcenv_asks_total",
          "counter",
          "endpoint, peer, outcome",
          "Asks made, per remote endpoint and peer, by outcome (answered, failed, timed_out,"
              + " connection_lost, abandoned).");

  public static final RpcMetricFamily CONNECTIONS =
      define(
          "rpcenv_connections_open",
          "gauge",
          "direction, tls",
          "Connections open now: in (accepted) or out (this env dialed), handshaking or ready;"
              + " tls is true when spark.ssl.rpc.enabled is.");
  public static final RpcMetricFamily CONNECTIONS_HANDSHAKING =
      define(
          "rpcenv_connections_handshaking",
          "gauge",
          "direction",
          "Open connections still in their handshake (TLS, hello, authentication).");
  public static final RpcMetricFamily FRAMES =
      define(
          "rpcenv_frames_total",
          "counter",
          "direction",
          "Frames read (in) and written (out) on all connections, closed ones included.");
  public static final RpcMetricFamily BYTES =
      define(
          "rpcenv_bytes_total",
          "counter",
          "direction",
          "Bytes of those frames (before TLS), read (in) and written (out).");
  public static final RpcMetricFamily PEER_ASKS =
      define(
          "rpcenv_peer_asks_outstanding",
          "gauge",
          "peer, direction",
          "Asks this env made on one open connection and still awaits; peer is host:port.");
  public static final RpcMetricFamily PEER_OUTBOX =
      define(
          "rpcenv_peer_outbox_bytes",
          "gauge",
          "peer, direction",
          "Bytes queued on one open connection: not yet written to its socket, or held for"
              + " endpoints whose window is full (spark.rpc.io.maxInflightBytes); peer is"
              + " host:port.");
  public static final RpcMetricFamily PINGS =
      define(
          "rpcenv_keepalive_pings_total",
          "counter",
          "result",
          "Keepalive pings written to quiet connections with asks outstanding (sent), and those"
              + " that went unanswered, so the connection was closed as dead (missed).");
  public static final RpcMetricFamily HANDSHAKES_REFUSED =
      define(
          "rpcenv_handshakes_refused_total",
          "counter",
          "reason",
          "Connections closed during their handshake, by reason (authentication, tls, protocol,"
              + " limit: spark.rpc.io.maxHandshakingConnections).");
  public static final RpcMetricFamily FRAMES_REFUSED =
      define(
          "rpcenv_frames_refused_total",
          "counter",
          "reason",
          "Messages refused, by reason: too_large (over spark.rpc.message.maxSize) or"
              + " undeliverable (could not be deserialized: refused by the filter, or broken).");
  public static final RpcMetricFamily BACKPRESSURE =
      define(
          "rpcenv_backpressure_rejections_total",
          "counter",
          "",
          "Sends and asks refused with RpcBackpressureException (outbox, window or ask limit"
              + " full).");
  public static final RpcMetricFamily LOOKUPS =
      define("rpcenv_lookups_total", "counter", "", "Endpoint lookups (setupEndpointRef) made.");
  public static final RpcMetricFamily LOOKUP_FAILURES =
      define(
          "rpcenv_lookup_failures_total",
          "counter",
          "",
          "Endpoint lookups that failed (not found, unreachable, timed out).");

  private static RpcMetricFamily define(String name, String type, String labels, String help) {
    RpcMetricFamily f = new RpcMetricFamily(name, type, labels, help);
    ALL.put(name, f);
    return f;
  }

  /** The README's table of every family. */
  public static String markdownTable() {
    StringBuilder b =
        new StringBuilder("| Metric | Type | Labels | Meaning |\n|---|---|---|---|\n");
    for (RpcMetricFamily f : ALL.values()) {
      b.append("| `")
          .append(f.name)
          .append("` | ")
          .append(f.type)
          .append(" | ")
          .append(f.labels)
          .append(" | ")
          .append(f.help)
          .append(" |\n");
    }
    return b.toString();
  }

  /** The registry name of this family's series with {@code labels} (name, value, name, ...). */
  public String series(String... labels) {
    if (labels.length == 0) {
      return name;
    }
    StringBuilder b = new StringBuilder(name).append('{');
    for (int i = 0; i < labels.length; i += 2) {
      if (i > 0) {
        b.append(',');
      }
      b.append(labels[i]).append("=\"");
      escape(labels[i + 1], b);
      b.append('"');
    }
    return b.append('}').toString();
  }

  /** A label value as the Prometheus text format quotes it. */
  public static void escape(String value, StringBuilder out) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
  }
}
