package io.rpcenv;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the time and size strings of the configuration grammar, with errors that state the
 * grammar.
 */
final class ConfigValues {
  static final String TIME_GRAMMAR =
      "Time must be specified as seconds (s), milliseconds (ms), microseconds (us), minutes (m or"
          + " min), hour (h), or day (d). E.g. 50s, 100ms, or 250us.";
  static final String SIZE_GRAMMAR =
      "Size must be specified as bytes (b), kibibytes (k or kb), mebibytes (m or mb), gibibytes (g"
          + " or gb), tebibytes (t or tb), or pebibytes (p or pb). E.g. 50b, 100k, or 250m.";

  private static final Pattern NUMBER_WITH_UNIT = Pattern.compile("(-?[0-9]+)([a-z]+)?");
  private static final Map<String, TimeUnit> TIME_UNITS =
      Map.of(
          "us", TimeUnit.MICROSECONDS,
          "ms", TimeUnit.MILLISECONDS,
          "s", TimeUnit.SECONDS,
          "m", TimeUnit.MINUTES,
          "min", TimeUnit.MINUTES,
          "h", TimeUnit.HOURS,
          "d", TimeUnit.DAYS);
  private static final Map<String, Long> SIZE_UNITS =
      Map.ofEntries(
          Map.entry("b", 1L),
          Map.entry("k", 1L << 10),
          Map.entry("kb", 1L << 10),
          Map.entry("m", 1L << 20),
          Map.entry("mb", 1L << 20),
          Map.entry("g", 1L << 30),
          Map.entry("gb", 1L << 30),
          Map.entry("t", 1L << 40),
          Map.entry("tb", 1L << 40),
          Map.entry("p", 1L << 50),
          Map.entry("pb", 1L << 50));

  private ConfigValues() {}

  /**
   * Parses a time string such as {@code 500ms}, {@code 2s} or {@code 1min}; a bare number is in
   * {@code defaultUnit}. Sub-second values keep their precision.
   */
  static Duration parseTime(String value, TimeUnit defaultUnit) {
    String s = value.trim().toLowerCase(Locale.ROOT);
    Matcher m = NUMBER_WITH_UNIT.matcher(s);
    if (!m.matches()) {
      throw new NumberFormatException(
          TIME_GRAMMAR + " Failed to parse time string: \"" + value + "\"");
    }
    long amount;
    try {
      amount = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new NumberFormatException(TIME_GRAMMAR + " Number out of range: \"" + value + "\"");
    }
    TimeUnit unit = defaultUnit;
    if (m.group(2) != null) {
      unit = TIME_UNITS.get(m.group(2));
      if (unit == null) {
        throw new NumberFormatException(TIME_GRAMMAR + " Invalid suffix: \"" + m.group(2) + "\"");
      }
    }
    return Duration.of(amount, unit.toChronoUnit());
  }

  /**
   * Parses a size string such as {@code 64k} or {@code 128m}; a bare number is in {@code
   * defaultUnitBytes}.
   */
  static long parseSize(String value, long defaultUnitBytes) {
    String s = value.trim().toLowerCase(Locale.ROOT);
    Matcher m = NUMBER_WITH_UNIT.matcher(s);
    if (!m.matches()) {
      throw new NumberFormatException(
          SIZE_GRAMMAR + " Failed to parse size string: \"" + value + "\"");
    }
    long unit = defaultUnitBytes;
    if (m.group(2) != null) {
      Long u = SIZE_UNITS.get(m.group(2));
      if (u == null) {
        throw new NumberFormatException(SIZE_GRAMMAR + " Invalid suffix: \"" + m.group(2) + "\"");
      }
      unit = u;
    }
    try {
      return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new NumberFormatException(SIZE_GRAMMAR + " Size out of range: \"" + value + "\"");
    }
  }

  static boolean parseBoolean(String value) {
    String s = value.trim().toLowerCase(Locale.ROOT);
    if (s.equals("true")) {
      return true;
    }
    if (s.equals("false")) {
      return false;
    }
    throw new IllegalArgumentException("expected true or false, got \"" + value + "\"");
  }

  static int parseInt(String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new NumberFormatException("expected an integer, got \"" + value + "\"");
    }
  }

  /** {@code 120 seconds}, {@code 500 ms}, {@code 250 us}: the unit that shows the value exactly. */
  static String describe(Duration d) {
    if (d.toNanosPart() == 0) {
      long s = d.toSeconds();
      return s + (s == 1 ? " second" : " seconds");
    }
    if (d.toNanosPart() % 1_000_000 == 0) {
      return d.toMillis() + " ms";
    }
    return (d.toNanos() / 1000) + " us";
  }
}
