package io.rpcenv.runtime.internal.status;

import io.rpcenv.PrometheusFamily;
import io.rpcenv.PrometheusText;
import io.rpcenv.plugin.ExecutorInfo;
import io.rpcenv.runtime.internal.LiveExecutor;
import io.rpcenv.runtime.internal.RemovedExecutor;
import io.rpcenv.runtime.internal.SecretSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The bodies the driver's HTTP server answers with: {@code /metrics} as Prometheus text, and the
 * {@code /api/v1} documents as JSON, computed from the live figures when asked for (the driver's
 * own reused for a quarter second, so a page's burst of requests reads its registry once). Used on
 * the server's one thread.
 */
final class StatusApi {
  /** How long the driver's families read for one document serve the next ones. */
  private static final long REUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final StatusSource source;
  private final History history;

  // Read and written on the server's one thread only.
  private List<PrometheusFamily> driverFamilies = List.of();
  private long driverFamiliesAt;

  StatusApi(StatusSource source, History history) {
    this.source = source;
    this.history = history;
  }

  /** Every process's metrics, each series labelled with its {@code executor} ("driver" too). */
  String metrics() {
    PrometheusText text =
        new PrometheusText()
            .add(source.env().metrics(), Map.of("executor", "driver"))
            .add(source.pluginMetrics(), Map.of("executor", "driver"));
    for (LiveExecutor l : live()) {
      text.add(l.metrics(), Map.of("executor", l.info().executorId()));
    }
    return text.toString();
  }

  /** The document under {@code /api/v1/NAME}, or null if there is none of that name. */
  String document(String name) {
    Object doc =
        switch (name) {
          case "application" -> application();
          case "executors" -> executors();
          case "endpoints" -> endpoints();
          case "connections" -> connections();
          case "plugins" -> plugins();
          case "history" -> history.points();
          default -> null;
        };
    return doc == null ? null : Json.write(doc);
  }

  private Map<String, Object> application() {
    Map<String, Object> app = new LinkedHashMap<>();
    app.put("name", source.appName());
    app.put("id", source.appId());
    app.put("startTime", source.startedAt().toString());
    app.put("uptimeSeconds", Duration.between(source.startedAt(), Instant.now()).toSeconds());
    app.put("driverUrl", source.driverUrl());
    app.put("settings", SecretSettings.redacted(new TreeMap<>(source.settings().get())));
    return app;
  }

  private List<Map<String, Object>> executors() {
    List<Map<String, Object>> rows = new ArrayList<>();
    long now = System.nanoTime();
    for (LiveExecutor l : live()) {
      Map<String, Object> row = executor(l.info(), "active");
      row.put("lastHeartbeatAgeMs", Duration.ofNanos(now - l.lastSeenNanos()).toMillis());
      row.put("heartbeats", l.heartbeats());
      LiveExecutor.Beat beat = l.lastBeat();
      Families last = new Families(beat.metrics());
      row.put("messagesPerSecond", rate(beat, last));
      row.put("asks", last.sum("rpcenv_asks_total"));
      row.put(
          "failures",
          last.sum("rpcenv_asks_total", s -> !"answered".equals(s.get("outcome")))
              + last.sum("rpcenv_endpoint_asks_failed_total"));
      rows.add(row);
    }
    for (RemovedExecutor r : source.executors().removed()) {
      Map<String, Object> row = executor(r.info(), "removed");
      row.put("removedAt", r.removedAt().toString());
      row.put("removalReason", r.reason());
      rows.add(row);
    }
    return rows;
  }

  private static Map<String, Object> executor(ExecutorInfo info, String state) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", info.executorId());
    row.put("host", info.host());
    row.put("state", state);
    row.put("cores", info.cores());
    row.put("registeredAt", info.registeredAt().toString());
    return row;
  }

  /** Frames in and out per second between an executor's last two heartbeats, or null. */
  private static Double rate(LiveExecutor.Beat beat, Families last) {
    LiveExecutor.Beat before = beat.before();
    if (before == null || before.atNanos() == 0 || beat.atNanos() <= before.atNanos()) {
      return null;
    }
    double frames =
        last.sum("rpcenv_frames_total") - new Families(before.metrics()).sum("rpcenv_frames_total");
    return frames / ((beat.atNanos() - before.atNanos()) / 1e9);
  }

  /** Every process's families, the driver's first, by executor id. */
  private Map<String, List<PrometheusFamily>> processes() {
    Map<String, List<PrometheusFamily>> all = new LinkedHashMap<>();
    long now = System.nanoTime();
    if (driverFamiliesAt == 0 || now - driverFamiliesAt > REUSE_NANOS) {
      // The page asks for six documents a second: one reading of the registry serves them all.
      driverFamilies = source.driverFamilies();
      driverFamiliesAt = now;
    }
    all.put("driver", driverFamilies);
    for (LiveExecutor l : live()) {
      all.put(l.info().executorId(), l.metrics());
    }
    return all;
  }

  private List<Map<String, Object>> endpoints() {
    List<Map<String, Object>> rows = new ArrayList<>();
    processes()
        .forEach(
            (process, families) -> {
              Families f = new Families(families);
              Map<String, Double> depth = f.sumBy("rpcenv_endpoint_inbox_depth", "endpoint");
              for (String endpoint : depth.keySet()) {
                rows.add(endpoint(process, endpoint, f, depth.get(endpoint)));
              }
            });
    return rows;
  }

  private static Map<String, Object> endpoint(
      String process, String endpoint, Families f, double depth) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("executor", process);
    row.put("endpoint", endpoint);
    row.put(
        "oneWay",
        f.sum(
            "rpcenv_endpoint_messages_received_total",
            l -> endpoint.equals(l.get("endpoint")) && "one_way".equals(l.get("kind"))));
    row.put(
        "asks",
        f.sum(
            "rpcenv_endpoint_messages_received_total",
            l -> endpoint.equals(l.get("endpoint")) && "ask".equals(l.get("kind"))));
    row.put("answered", f.sum("rpcenv_endpoint_asks_answered_total", of(endpoint)));
    row.put("failed", f.sum("rpcenv_endpoint_asks_failed_total", of(endpoint)));
    NavigableMap<Double, Double> handling =
        f.buckets("rpcenv_endpoint_handling_seconds", of(endpoint));
    row.put("handlingP50Ms", Families.quantileMs(handling, 0.5));
    row.put("handlingP99Ms", Families.quantileMs(handling, 0.99));
    row.put("handlingMaxMs", Families.maxMs(handling));
    row.put("inboxDepth", depth);
    row.put("inboxDepthMax", f.sum("rpcenv_endpoint_inbox_depth_max", of(endpoint)));
    row.put("stallWarnings", f.sum("rpcenv_endpoint_stall_warnings_total", of(endpoint)));
    return row;
  }

  private static java.util.function.Predicate<Map<String, String>> of(String endpoint) {
    return l -> endpoint.equals(l.get("endpoint"));
  }

  private Map<String, Object> connections() {
    List<Map<String, Object>> envs = new ArrayList<>();
    List<Map<String, Object>> peers = new ArrayList<>();
    processes()
        .forEach(
            (process, families) -> {
              Families f = new Families(families);
              Map<String, Object> env = new LinkedHashMap<>();
              env.put("executor", process);
              Map<String, Double> open = f.sumBy("rpcenv_connections_open", "direction");
              env.put("openIn", open.getOrDefault("in", 0.0));
              env.put("openOut", open.getOrDefault("out", 0.0));
              env.put("handshaking", f.sum("rpcenv_connections_handshaking"));
              Map<String, Double> frames = f.sumBy("rpcenv_frames_total", "direction");
              env.put("framesIn", frames.getOrDefault("in", 0.0));
              env.put("framesOut", frames.getOrDefault("out", 0.0));
              Map<String, Double> bytes = f.sumBy("rpcenv_bytes_total", "direction");
              env.put("bytesIn", bytes.getOrDefault("in", 0.0));
              env.put("bytesOut", bytes.getOrDefault("out", 0.0));
              env.put("handshakesRefused", f.sum("rpcenv_handshakes_refused_total"));
              env.put("framesRefused", f.sum("rpcenv_frames_refused_total"));
              envs.add(env);
              for (Map<String, String> p : f.rows("rpcenv_peer_asks_outstanding")) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("executor", process);
                row.put("peer", p.get("peer"));
                row.put("direction", p.get("direction"));
                row.put("asksOutstanding", Double.valueOf(p.get("value")));
                row.put(
                    "outboxBytes",
                    f.sum(
                        "rpcenv_peer_outbox_bytes",
                        l ->
                            p.get("peer").equals(l.get("peer"))
                                && p.get("direction").equals(l.get("direction"))));
                peers.add(row);
              }
            });
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("envs", envs);
    doc.put("peers", peers);
    return doc;
  }

  private Map<String, Object> plugins() {
    List<Map<String, Object>> metrics = new ArrayList<>();
    processes()
        .forEach(
            (process, families) -> {
              for (PrometheusFamily f : families) {
                if (f.name().startsWith("rpcenv_")) {
                  continue;
                }
                for (PrometheusFamily.Sample s : f.samples()) {
                  Map<String, Object> row = new LinkedHashMap<>();
                  row.put("executor", process);
                  row.put(
                      "name", s.labels().isEmpty() ? s.name() : s.name() + "{" + s.labels() + "}");
                  row.put("value", s.value());
                  metrics.add(row);
                }
              }
            });
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("driverPlugins", source.plugins().get());
    doc.put("metrics", metrics);
    return doc;
  }

  private List<LiveExecutor> live() {
    return source.executors().live().values().stream()
        .sorted(Comparator.comparing(l -> l.info().registeredAt()))
        .toList();
  }
}
