package io.rpcenv.internal.metrics;

import java.util.Map;
import java.util.TreeMap;

/**
 * One metric family of the env: its Prometheus name, type and help. A series of the family is
 * registered in the env's Dropwizard registry under {@link #series}, its name with the labels, so
 * the registry alone says everything the Prometheus text needs.
 */
public record Family(String name, String type, String help) {
  /** Every family, by name: the table the README documents. */
  public static final Map<String, Family> ALL = new TreeMap<>();

  public static final Family MESSAGES_RECEIVED =
      define(
          "rpcenv_endpoint_messages_received_total",
          "counter",
          "Messages an endpoint received, by kind (one_way, ask).");
  public static final Family ASKS_ANSWERED =
      define("rpcenv_endpoint_asks_answered_total", "counter", "Asks an endpoint replied to.");
  public static final Family ASKS_FAILED =
      define(
          "rpcenv_endpoint_asks_failed_total",
          "counter",
          "Asks an endpoint failed (sendFailure, or its code threw).");
  public static final Family HANDLING =
      define(
          "rpcenv_endpoint_handling_seconds",
          "histogram",
          "Time an endpoint's code took per message (receive or receiveAndReply returning).");
  public static final Family INBOX_DEPTH =
      define(
          "rpcenv_endpoint_inbox_depth", "gauge", "Messages waiting in an endpoint's inbox now.");
  public static final Family INBOX_DEPTH_MAX =
      define(
          "rpcenv_endpoint_inbox_depth_max",
          "gauge",
          "The most messages that have waited in an endpoint's inbox at once.");
  public static final Family STALL_WARNINGS =
      define(
          "rpcenv_endpoint_stall_warnings_total",
          "counter",
          "Warnings that an endpoint ran one message longer than"
              + " spark.rpc.dispatcher.stallWarning.");

  public static final Family ASK_LATENCY =
      define(
          "rpcenv_ask_seconds",
          "histogram",
          "Time from ask to its outcome, per remote endpoint and peer (the asking side).");
  public static final Family ASKS =
      define(
          "rpcenv_asks_total",
          "counter",
          "Asks made, per remote endpoint and peer, by outcome (answered, failed, timed_out,"
              + " connection_lost, abandoned).");

  private static Family define(String name, String type, String help) {
    Family f = new Family(name, type, help);
    ALL.put(name, f);
    return f;
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
