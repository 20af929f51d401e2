package io.rpcenv;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A duration and the property that controls it, so that every timeout error can tell the user which
 * setting to change.
 *
 * <p>Built from a conf with a prioritized list of properties: the first property that is set wins
 * and is the one named; when none is set the default applies and the first property is named.
 * Values keep sub-second precision ({@code 500ms} is half a second, not zero).
 *
 * @param duration how long to wait; positive
 * @param property the configuration property that controls it
 */
public record RpcTimeout(Duration duration, String property) implements Serializable {

  /** Waits without limit; its property name is {@code "infinite"}. */
  public static final RpcTimeout INFINITE =
      new RpcTimeout(Duration.ofNanos(Long.MAX_VALUE), "infinite");

  /** Requires a positive duration and a property name. */
  public RpcTimeout {
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(property, "property");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(
          property + " must be positive, got " + ConfigValues.describe(duration));
    }
  }

  /** Shorthand for a timeout not tied to a setting; its property is reported as {@code "code"}. */
  public static RpcTimeout of(Duration duration) {
    return new RpcTimeout(duration, "code");
  }

  /** The timeout of a typed key, following its fallback chain. */
  public static RpcTimeout of(RpcConf conf, ConfigKey<Duration> key) {
    ConfigKey<Duration> named = key;
    for (ConfigKey<Duration> k = key; k != null; k = k.fallback()) {
      if (conf.contains(k.key())) {
        named = k;
        break;
      }
    }
    return new RpcTimeout(conf.get(key), named.key());
  }

  /** The timeout set by {@code property}; throws {@link NoSuchElementException} if it is unset. */
  public static RpcTimeout of(RpcConf conf, String property) {
    return new RpcTimeout(conf.getDuration(property, conf.get(property)), property);
  }

  /** The timeout set by {@code property}, or {@code defaultValue} (a time string) if unset. */
  public static RpcTimeout of(RpcConf conf, String property, String defaultValue) {
    return new RpcTimeout(conf.getDuration(property, defaultValue), property);
  }

  /**
   * The first property of {@code properties} that is set, or {@code defaultValue} reported under
   * the first property.
   */
  public static RpcTimeout of(RpcConf conf, List<String> properties, String defaultValue) {
    if (properties.isEmpty()) {
      throw new IllegalArgumentException("properties must not be empty");
    }
    for (String p : properties) {
      if (conf.contains(p)) {
        return of(conf, p);
      }
    }
    return of(conf, properties.get(0), defaultValue);
  }

  /** {@code spark.rpc.askTimeout}, falling back to {@code spark.network.timeout}, default 120s. */
  public static RpcTimeout askTimeout(RpcConf conf) {
    return of(conf, RpcConfigKeys.ASK_TIMEOUT);
  }

  /**
   * {@code spark.rpc.lookupTimeout}, falling back to {@code spark.network.timeout}, default 120s.
   */
  public static RpcTimeout lookupTimeout(RpcConf conf) {
    return of(conf, RpcConfigKeys.LOOKUP_TIMEOUT);
  }

  /** Whether this is {@link #INFINITE}: waits without a deadline. */
  @SuppressWarnings("ReferenceEquality") // INFINITE is a sentinel, not a value
  public boolean isInfinite() {
    return this == INFINITE;
  }

  /** The duration as a person would write it: {@code 120 seconds}, {@code 500 ms}. */
  public String describe() {
    return isInfinite() ? "infinite" : ConfigValues.describe(duration);
  }

  /** A timeout failure for {@code what} that names this timeout's property. */
  public RpcTimeoutException timeoutException(String what) {
    return new RpcTimeoutException(what, property);
  }

  /**
   * Waits for {@code future} at most this long. A timeout throws {@link RpcTimeoutException}; a
   * failure rethrows the failure itself when it is unchecked, or wraps it in an {@link
   * RpcException}; an interrupt restores the interrupt flag and throws {@link RpcException}.
   */
  public <T> T awaitResult(Future<T> future) {
    try {
      return duration.toSeconds() >= Long.MAX_VALUE / 1_000_000_000L || isInfinite()
          ? future.get()
          : future.get(duration.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw timeoutException("Timed out after " + describe() + " waiting for a result");
    } catch (ExecutionException | CompletionException e) {
      throw rethrow(e.getCause() == null ? e : e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RpcException(
          "Interrupted while waiting for a result (timeout " + describe() + ")", e);
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new RpcException(t.toString(), t);
  }

  @Override
  public String toString() {
    return describe() + " (" + property + ")";
  }
}
