package io.rpcenv.internal.metrics;

import java.util.Map;
import java.util.TreeMap;

/**
 * One metric family of the env: its Prometheus name, type and help. A series of the family is
 * registered in the env's Dropwizard registry under {@link #series}, its name with the labels, so
 * the registry alone says everything the Prometheus text needs.
 */
public record Family(String name, String type, String labels, String help) {
  /** Every family, by name: the table the README documents. */
  public static final Map<String, Family> ALL = new TreeMap<>();

  public static final Family MESSAGES_RECEIVED =
      define(
          "rpcenv_endpoint_messages_received_total",
          "counter",
          "endpoint, kind",
          "Messages an endpoint received, by kind (one_way, ask), counted as its inbox handles"
              + " them.");
  public static final Family ASKS_ANSWERED =
      define(
          "rpcenv_endpoint_asks_answered_total",
          "counter",
          "endpoint",
          "Asks an endpoint replied to.");
  public static final Family ASKS_FAILED =
      define(
          "rpcenv_endpoint_asks_failed_total",
          "counter",
          "endpoint",
          "Asks an endpoint failed (sendFailure, or its code threw).");
  public static final Family HANDLING =
      define(
          "rpcenv_endpoint_handling_seconds",
          "histogram",
          "endpoint",
          "Time an endpoint's code took per message (until receive or receiveAndReply returned),"
              + " measured for one message in 16.");
  public static final Family INBOX_DEPTH =
      define(
          "rpcenv_endpoint_inbox_depth",
          "gauge",
          "endpoint",
          "Messages and network events waiting in an endpoint's inbox.");
  public static final Family INBOX_DEPTH_MAX =
      define(
          "rpcenv_endpoint_inbox_depth_max",
          "gauge",
          "endpoint",
          "The deepest an endpoint's inbox was when its depth was read.");
  public static final Family STALL_WARNINGS =
      define(
          "rpcenv_endpoint_stall_warnings_total",
          "counter",
          "endpoint",
          "Warnings that an endpoint ran one message longer than"
              + " spark.rpc.dispatcher.stallWarning.");

  public static final Family ASK_LATENCY =
      define(
          "rpcenv_ask_seconds",
          "histogram",
          "endpoint, peer",
          "Time from ask to outcome on the asking side, per endpoint asked and its peer (host:port,"
              + " or local), measured for one ask in 16.");
  public static final Family ASKS =
      define(
          "rpcenv_asks_total",
          "counter",
          "endpoint, peer, outcome",
          "Asks made, per remote endpoint and peer, by outcome (answered, failed, timed_out,"
              + " connection_lost, abandoned).");

  private static Family define(String name, String type, String labels, String help) {
    Family f = new Family(name, type, labels, help);
    ALL.put(name, f);
    return f;
  }

  /** The README's table of every family. */
  public static String markdownTable() {
    StringBuilder b =
        new StringBuilder("| Metric | Type | Labels | Meaning |\n|---|---|---|---|\n");
    for (Family f : ALL.values()) {
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
