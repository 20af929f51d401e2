package io.rpcenv.runtime.internal.status;

import io.rpcenv.PrometheusFamily;
import io.rpcenv.PrometheusFamily.Sample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Reads figures out of one process's metric families (the driver's, or an executor's as its last
 * heartbeat carried them), so the page and the API read every process the same way.
 */
final class Families {
  /** A sample with its labels parsed, once. */
  private record Parsed(Map<String, String> labels, double value) {}

  private final Map<String, List<Parsed>> samples = new HashMap<>();

  Families(List<PrometheusFamily> families) {
    for (PrometheusFamily f : families) {
      for (Sample s : f.samples()) {
        samples
            .computeIfAbsent(s.name(), n -> new ArrayList<>())
            .add(new Parsed(s.labelMap(), s.value()));
      }
    }
  }

  /** The sum of the samples named {@code name} whose labels {@code where} accepts. */
  double sum(String name, Predicate<Map<String, String>> where) {
    double n = 0;
    for (Parsed s : samples.getOrDefault(name, List.of())) {
      if (where.test(s.labels())) {
        n += s.value();
      }
    }
    return n;
  }

  double sum(String name) {
    return sum(name, l -> true);
  }

  /** The samples named {@code name}, summed by the value of their label {@code label}. */
  Map<String, Double> sumBy(String name, String label) {
    Map<String, Double> by = new LinkedHashMap<>();
    for (Parsed s : samples.getOrDefault(name, List.of())) {
      String v = s.labels().get(label);
      if (v != null) {
        by.merge(v, s.value(), Double::sum);
      }
    }
    return by;
  }

  /** The samples named {@code name}, one per label set, as label maps with a "value". */
  List<Map<String, String>> rows(String name) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (Parsed s : samples.getOrDefault(name, List.of())) {
      Map<String, String> row = new LinkedHashMap<>(s.labels());
      row.put("value", Double.toString(s.value()));
      rows.add(row);
    }
    return rows;
  }

  /**
   * The cumulative bucket counts of histogram {@code family} by upper bound in seconds, summed over
   * the series {@code where} accepts (+Inf is {@link Double#POSITIVE_INFINITY}).
   */
  NavigableMap<Double, Double> buckets(String family, Predicate<Map<String, String>> where) {
    TreeMap<Double, Double> b = new TreeMap<>();
    for (Parsed s : samples.getOrDefault(family + "_bucket", List.of())) {
      Map<String, String> labels = s.labels();
      String le = labels.get("le");
      if (le != null && where.test(labels)) {
        double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
        b.merge(bound, s.value(), Double::sum);
      }
    }
    return b;
  }

  /** {@code a - b}, bucket by bucket: what was counted between two readings. */
  static NavigableMap<Double, Double> minus(
      NavigableMap<Double, Double> a, NavigableMap<Double, Double> b) {
    TreeMap<Double, Double> d = new TreeMap<>();
    a.forEach((k, v) -> d.put(k, Math.max(0, v - b.getOrDefault(k, 0.0))));
    return d;
  }

  /**
   * The upper bound of the bucket the {@code q} quantile falls in, in milliseconds; for the last
   * bucket, the largest finite bound; null when nothing was counted.
   */
  static Double quantileMs(NavigableMap<Double, Double> buckets, double q) {
    Double total = buckets.get(Double.POSITIVE_INFINITY);
    if (total == null || total <= 0) {
      return null;
    }
    double lastFinite = 0;
    for (Map.Entry<Double, Double> e : buckets.entrySet()) {
      if (e.getKey().isInfinite()) {
        break;
      }
      lastFinite = e.getKey();
      if (e.getValue() >= q * total) {
        return e.getKey() * 1000;
      }
    }
    return lastFinite * 1000;
  }

  /** The upper bound of the highest bucket with anything in it, in milliseconds, or null. */
  static Double maxMs(NavigableMap<Double, Double> buckets) {
    return quantileMs(buckets, 1.0);
  }
}
