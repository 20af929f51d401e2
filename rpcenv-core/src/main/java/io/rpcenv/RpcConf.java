package io.rpcenv;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * String settings with typed getters, in the manner of SparkConf. Thread-safe. An env copies its
 * conf when it is created, so later changes to this object do not affect a running env.
 *
 * <p>Typed access goes through {@link ConfigKey}s ({@link RpcConfigKeys} lists rpcenv's own); a
 * malformed value fails with an {@link IllegalArgumentException} that names the key and the
 * expected grammar.
 */
public final class RpcConf implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ConcurrentHashMap<String, String> settings = new ConcurrentHashMap<>();

  /** An empty conf: every key at its default. */
  public RpcConf() {}

  /** A conf holding {@code settings}. */
  public static RpcConf of(Map<String, String> settings) {
    return new RpcConf().setAll(settings);
  }

  /** Sets {@code key} to {@code value}; returns this conf for chaining. */
  public RpcConf set(String key, String value) {
    Objects.requireNonNull(key, "key");
    if (value == null) {
      throw new IllegalArgumentException("null value for " + key + " (use remove to unset a key)");
    }
    settings.put(key, value);
    return this;
  }

  /** Sets a typed key after checking that {@code value} parses; returns this conf. */
  public RpcConf set(ConfigKey<?> key, String value) {
    Objects.requireNonNull(key, "key").parse(value);
    return set(key.key(), value);
  }

  /** Copies every entry of {@code all} into this conf; returns this conf. */
  public RpcConf setAll(Map<String, String> all) {
    all.forEach(this::set);
    return this;
  }

  /** Unsets {@code key}; returns this conf. */
  public RpcConf remove(String key) {
    settings.remove(key);
    return this;
  }

  /** Whether {@code key} is set. */
  public boolean contains(String key) {
    return settings.containsKey(key);
  }

  /** The value of {@code key}; throws {@link NoSuchElementException} naming the key if unset. */
  public @Nullable String get(String key) {
    String v = settings.get(key);
    if (v == null) {
      throw new NoSuchElementException(key + " is not set");
    }
    return v;
  }

  /** The value of {@code key}, or {@code defaultValue} if unset. */
  public String get(String key, String defaultValue) {
    return settings.getOrDefault(key, defaultValue);
  }

  /** The value of {@code key}, if set. */
  public Optional<String> getOption(String key) {
    return Optional.ofNullable(settings.get(key));
  }

  /**
   * The value of a typed key: its own value if set, else its fallback key's value, else its default
   * (null for a default that is computed at runtime).
   */
  public <T> @Nullable T get(ConfigKey<T> key) {
    for (ConfigKey<T> k = key; k != null; k = k.fallback()) {
      String raw = settings.get(k.key());
      if (raw != null) {
        return k.parse(raw);
      }
      if (k.fallback() == null) {
        return k.defaultValue();
      }
    }
    throw new AssertionError("unreachable");
  }

  /** A time setting (bare numbers in seconds), or {@code defaultValue} if unset. */
  public Duration getDuration(String key, String defaultValue) {
    return ConfigKey.time(key, TimeUnit.SECONDS, null, key).parse(get(key, defaultValue));
  }

  /**
   * A time setting in milliseconds (bare numbers in milliseconds), or {@code defaultValue} if
   * unset.
   */
  public long getTimeAsMs(String key, String defaultValue) {
    return ConfigKey.time(key, TimeUnit.MILLISECONDS, null, key)
        .parse(get(key, defaultValue))
        .toMillis();
  }

  /** A size setting in bytes (bare numbers in bytes), or {@code defaultValue} if unset. */
  public long getSizeAsBytes(String key, String defaultValue) {
    return ConfigKey.size(key, 1, null, key).parse(get(key, defaultValue));
  }

  /** An integer setting, or {@code defaultValue} if unset. */
  public int getInt(String key, int defaultValue) {
    String v = settings.get(key);
    return v == null ? defaultValue : ConfigKey.integer(key, null, key).parse(v);
  }

  /** A boolean setting, or {@code defaultValue} if unset. */
  public boolean getBoolean(String key, boolean defaultValue) {
    String v = settings.get(key);
    return v == null ? defaultValue : ConfigKey.bool(key, false, key).parse(v);
  }

  /** All settings, sorted by key. */
  public Map<String, String> getAll() {
    return new TreeMap<>(settings);
  }

  /** An independent copy of this conf. */
  public RpcConf copy() {
    return new RpcConf().setAll(settings);
  }

  /** Keys only: values may be secrets. */
  @Override
  public String toString() {
    return "RpcConf" + new TreeMap<>(settings).keySet();
  }
}
