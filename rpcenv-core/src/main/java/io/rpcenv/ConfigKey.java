package io.rpcenv;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A typed configuration setting: its name, how its string value is parsed and checked, its default
 * (a value, the value of another key, or a rule computed at runtime) and a one-line description.
 * All of rpcenv's settings are declared once in {@link RpcConfigKeys}.
 *
 * @param <T> the parsed type: {@link Duration} for times, {@link Long} bytes for sizes, {@link
 *     Integer}, {@link Boolean} or {@link String}
 */
public final class ConfigKey<T> {
  private final String key;
  private final String doc;
  private final String defaultText;
  private final T defaultValue;
  private final ConfigKey<T> fallback;
  private final Function<String, T> parser;

  private ConfigKey(
      String key,
      String doc,
      String defaultText,
      T defaultValue,
      ConfigKey<T> fallback,
      Function<String, T> parser) {
    this.key = Objects.requireNonNull(key, "key");
    this.doc = Objects.requireNonNull(doc, "doc");
    this.defaultText = defaultText;
    this.defaultValue = defaultValue;
    this.fallback = fallback;
    this.parser = parser;
  }

  /** A time setting; bare numbers are in {@code bareUnit}. */
  public static ConfigKey<Duration> time(
      String key, TimeUnit bareUnit, String defaultValue, String doc) {
    Function<String, Duration> p = s -> ConfigValues.parseTime(s, bareUnit);
    return new ConfigKey<>(
        key, doc, defaultValue, defaultValue == null ? null : p.apply(defaultValue), null, p);
  }

  /** A size setting in bytes; bare numbers are multiples of {@code bareUnitBytes}. */
  public static ConfigKey<Long> size(
      String key, long bareUnitBytes, String defaultValue, String doc) {
    Function<String, Long> p = s -> ConfigValues.parseSize(s, bareUnitBytes);
    return new ConfigKey<>(
        key, doc, defaultValue, defaultValue == null ? null : p.apply(defaultValue), null, p);
  }

  public static ConfigKey<Integer> integer(String key, Integer defaultValue, String doc) {
    return new ConfigKey<>(
        key,
        doc,
        defaultValue == null ? null : defaultValue.toString(),
        defaultValue,
        null,
        ConfigValues::parseInt);
  }

  public static ConfigKey<Boolean> bool(String key, boolean defaultValue, String doc) {
    return new ConfigKey<>(
        key, doc, Boolean.toString(defaultValue), defaultValue, null, ConfigValues::parseBoolean);
  }

  public static ConfigKey<String> string(String key, String defaultValue, String doc) {
    return new ConfigKey<>(key, doc, defaultValue, defaultValue, null, String::trim);
  }

  /** The same key, but when unset it takes the value of {@code other}. */
  public ConfigKey<T> fallbackTo(ConfigKey<T> other) {
    return new ConfigKey<>(key, doc, "value of " + other.key, null, other, parser);
  }

  /**
   * The same key, documented with a default that is computed at runtime (the value is then null).
   */
  public ConfigKey<T> computedDefault(String description) {
    return new ConfigKey<>(key, doc, description, null, null, parser);
  }

  /** The same key with an extra check on parsed values; {@code check} returns an error or null. */
  public ConfigKey<T> checked(Function<T, String> check) {
    Function<String, T> p =
        s -> {
          T v = parser.apply(s);
          String error = check.apply(v);
          if (error != null) {
            throw new IllegalArgumentException(error);
          }
          return v;
        };
    return new ConfigKey<>(key, doc, defaultText, defaultValue, fallback, p);
  }

  /** The public static {@code ConfigKey} constants of {@code holder}, in declaration order. */
  public static List<ConfigKey<?>> declaredIn(Class<?> holder) {
    List<ConfigKey<?>> keys = new ArrayList<>();
    for (Field f : holder.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers())
          && Modifier.isPublic(f.getModifiers())
          && f.getType() == ConfigKey.class) {
        try {
          keys.add((ConfigKey<?>) f.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return Collections.unmodifiableList(keys);
  }

  /** The property name, e.g. {@code spark.rpc.askTimeout}. */
  public String key() {
    return key;
  }

  /** One line that says what the setting does. */
  public String doc() {
    return doc;
  }

  /** The default as documented: a value, {@code value of <key>}, a rule, or null for none. */
  public String defaultText() {
    return defaultText;
  }

  /** The parsed default, or null when the default is another key's value or computed at runtime. */
  public @Nullable T defaultValue() {
    return defaultValue;
  }

  /** The key whose value applies when this one is unset, or null. */
  public @Nullable ConfigKey<T> fallback() {
    return fallback;
  }

  /**
   * Parses {@code raw} as a value of this key. A malformed value is rejected with an {@link
   * IllegalArgumentException} that quotes the value, names the key and states the grammar.
   */
  public T parse(String raw) {
    try {
      return parser.apply(raw);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Invalid value \"" + raw + "\" for " + key + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return key;
  }

  /**
   * A markdown table (key, default, meaning) of {@code keys}, as the README shows it; a test keeps
   * the README equal to this.
   */
  public static String markdownTable(List<ConfigKey<?>> keys) {
    StringBuilder sb = new StringBuilder("| Key | Default | Meaning |\n|---|---|---|\n");
    for (ConfigKey<?> k : keys) {
      String def = k.defaultText();
      sb.append("| `")
          .append(k.key())
          .append("` | ")
          .append(
              def == null
                  ? "(none)"
                  : def.isEmpty()
                      ? "(empty)"
                      : def.startsWith("value of ")
                          ? "value of `" + def.substring("value of ".length()) + "`"
                          : "`" + def + "`")
          .append(" | ")
          .append(k.doc().replace("|", "\\|"))
          .append(" |\n");
    }
    return sb.toString();
  }
}
