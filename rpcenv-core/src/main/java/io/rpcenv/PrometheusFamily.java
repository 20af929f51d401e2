package io.rpcenv;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One Prometheus metric family as data: what {@link PrometheusText#families()} takes from
 * registries, so that one process can carry its metrics to another (an executor's travel to the
 * driver with its heartbeats) and the other can write them with its own ({@link
 * PrometheusText#add(List, java.util.Map)}). Every part is checked when it is made, deserialized
 * copies included, so text written from a family is always valid exposition format.
 *
 * @param name the family's name, valid in Prometheus
 * @param type {@code counter}, {@code gauge}, {@code histogram} or {@code summary}
 * @param help what it means (any text; escaped when written)
 * @param samples its series
 */
public record PrometheusFamily(String name, String type, String help, List<Sample> samples)
    implements Serializable {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary");
  private static final int MAX_TEXT = 4096;

  /**
   * One series' value.
   *
   * @param name the family's name, or for histograms and summaries that name with {@code _bucket},
   *     {@code _sum} or {@code _count}
   * @param labels its labels as written in the text, {@code a="x",b="y"} with values escaped, or
   *     empty
   * @param value its value
   */
  public record Sample(String name, String labels, double value) implements Serializable {
    /**
     * @throws IllegalArgumentException if the name or the labels are not valid exposition format
     */
    public Sample {
      check(name != null && NAME.matcher(name).matches(), "sample name", name);
      check(labels != null && labels.length() <= MAX_TEXT, "labels of " + name, labels);
      parse(labels, name);
    }

    /** Whether a label of this sample is called {@code label}. */
    public boolean hasLabel(String label) {
      return labelMap().containsKey(label);
    }

    /** Its labels, names to (unescaped) values, in their order. */
    public Map<String, String> labelMap() {
      return parse(labels, name);
    }
  }

  /**
   * @throws IllegalArgumentException if a part is invalid, or a sample belongs to another family
   */
  public PrometheusFamily {
    check(name != null && NAME.matcher(name).matches(), "family name", name);
    check(TYPES.contains(type), "type of " + name, type);
    check(help != null && help.length() <= MAX_TEXT, "help of " + name, help);
    samples = List.copyOf(samples);
    boolean parts = type.equals("histogram") || type.equals("summary");
    for (Sample s : samples) {
      String suffix = s.name().startsWith(name) ? s.name().substring(name.length()) : null;
      boolean ok =
          suffix != null
              && (suffix.isEmpty()
                  || (parts && (suffix.equals("_sum") || suffix.equals("_count")))
                  || (type.equals("histogram") && suffix.equals("_bucket")));
      check(ok, "sample of " + type + " " + name, s.name());
    }
  }

  /**
   * The labels in {@code labels}, names to unescaped values in their order; throws if it is not
   * {@code a="x",b="y"} or empty.
   */
  private static Map<String, String> parse(String labels, String sample) {
    Map<String, String> parsed = new LinkedHashMap<>();
    String what = "labels of " + sample;
    int i = 0;
    int n = labels.length();
    while (i < n) {
      int eq = labels.indexOf('=', i);
      check(eq > i && LABEL.matcher(labels.substring(i, eq)).matches(), what, labels);
      check(eq + 1 < n && labels.charAt(eq + 1) == '"', what, labels);
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      while (j < n && labels.charAt(j) != '"') {
        char c = labels.charAt(j);
        check(c != '\n', what, labels);
        if (c == '\\') {
          check(j + 1 < n && "\\\"n".indexOf(labels.charAt(j + 1)) >= 0, what, labels);
          c = labels.charAt(++j) == 'n' ? '\n' : labels.charAt(j);
        }
        value.append(c);
        j++;
      }
      check(j < n, what, labels);
      check(parsed.put(labels.substring(i, eq), value.toString()) == null, what, labels);
      i = j + 1;
      if (i < n) {
        check(labels.charAt(i) == ',' && i + 1 < n, what, labels);
        i++;
      }
    }
    return parsed;
  }

  private static void check(boolean ok, String what, String value) {
    if (!ok) {
      String shown = value == null ? "null" : value;
      throw new IllegalArgumentException(
          "Not valid in Prometheus text: the "
              + what
              + " '"
              + (shown.length() > 80 ? shown.substring(0, 80) + "..." : shown)
              + "'");
    }
  }
}
