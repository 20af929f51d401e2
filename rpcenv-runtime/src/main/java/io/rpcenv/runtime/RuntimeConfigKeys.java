package io.rpcenv.runtime;

import io.rpcenv.ConfigKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The settings of the driver and executor runtime, declared once; the README's table is checked
 * against them.
 */
public final class RuntimeConfigKeys {
  private RuntimeConfigKeys() {}

  /** Driver host. */
  public static final ConfigKey<String> DRIVER_HOST =
      ConfigKey.string(
          "spark.driver.host",
          "127.0.0.1",
          "Host the driver advertises to executors (set it to a reachable name or address for other"
              + " machines).");

  /** Driver bind address. */
  public static final ConfigKey<String> DRIVER_BIND_ADDRESS =
      ConfigKey.string(
          "spark.driver.bindAddress",
          null,
          "Address the driver listens on; defaults to spark.driver.host (use 0.0.0.0 for all"
              + " interfaces).");

  /** Driver port. */
  public static final ConfigKey<Integer> DRIVER_PORT =
      ConfigKey.integer("spark.driver.port", 0, "Port the driver listens on; 0 picks a free one.");

  /** Application id. */
  public static final ConfigKey<String> APP_ID =
      ConfigKey.string(
              "spark.app.id",
              null,
              "Application id handed to plugins; generated (app-<time>-<random>) when not set.")
          .computedDefault("app-<time>-<random>");

  /** Heartbeat interval. */
  public static final ConfigKey<Duration> HEARTBEAT_INTERVAL =
      ConfigKey.time(
          "spark.executor.heartbeatInterval",
          TimeUnit.MILLISECONDS,
          "10s",
          "How often executors heartbeat; must be less than spark.network.timeout.");

  /** Expiry check period. */
  public static final ConfigKey<Duration> TIMEOUT_INTERVAL =
      ConfigKey.time(
          "spark.network.timeoutInterval",
          TimeUnit.MILLISECONDS,
          "60s",
          "How often the driver looks for executors silent for longer than spark.network.timeout.");

  /** Heartbeat failures before an executor gives up. */
  public static final ConfigKey<Integer> HEARTBEAT_MAX_FAILURES =
      ConfigKey.integer(
              "spark.executor.heartbeat.maxFailures",
              60,
              "Consecutive failed heartbeats after which an executor concludes the driver is gone"
                  + " and exits.")
          .checked(v -> v < 1 ? "must be at least 1" : null);

  /** Cores an executor offers. */
  public static final ConfigKey<Integer> EXECUTOR_CORES =
      ConfigKey.integer("spark.executor.cores", null, "Cores an executor reports to the driver.")
          .computedDefault("available processors");

  /** Host an executor reports. */
  public static final ConfigKey<String> EXECUTOR_HOST =
      ConfigKey.string(
              "spark.executor.host",
              null,
              "Host an executor reports to the driver and its plugins.")
          .computedDefault("this machine's host name");

  /** How long the driver waits for executors to exit. */
  public static final ConfigKey<Duration> STOP_EXECUTORS_TIMEOUT =
      ConfigKey.time(
          "spark.driver.executorStopTimeout",
          TimeUnit.SECONDS,
          "15s",
          "How long a stopping driver waits for its executors to exit before it shuts its plugins"
              + " down anyway.");

  /** Jars the driver serves to its executors. */
  public static final ConfigKey<String> JARS =
      ConfigKey.string(
          "spark.jars",
          "",
          "Comma-separated jars (paths on the driver's machine) that the driver loads plugins from"
              + " and serves to every executor, which fetches them before loading its plugins.");

  /** Where executors keep fetched jars. */
  public static final ConfigKey<String> JAR_CACHE =
      ConfigKey.string(
              "spark.rpcenv.jarCache",
              null,
              "Folder where an executor keeps the jars it fetched, by SHA-256, so a restart or"
                  + " another executor on the machine does not fetch them again.")
          .computedDefault("<java.io.tmpdir>/rpcenv-jar-cache");

  /** Application name. */
  public static final ConfigKey<String> APP_NAME =
      ConfigKey.string(
          "spark.app.name", "rpcenv", "The application's name, shown on the driver's status page.");

  /** Status page on or off. */
  public static final ConfigKey<Boolean> UI_ENABLED =
      ConfigKey.bool(
          "spark.ui.enabled",
          true,
          "Whether the driver serves its status page, /metrics and /api/v1 over HTTP.");

  /** Status page port. */
  public static final ConfigKey<Integer> UI_PORT =
      ConfigKey.integer(
              "spark.ui.port",
              4040,
              "Port of the driver's status page, on the driver's bind address; when taken, the"
                  + " following ports are tried (spark.port.maxRetries); 0 picks a free one.")
          .checked(v -> v < 0 || v > 65_535 ? "must be between 0 and 65535" : null);

  /** Status page TLS. */
  public static final ConfigKey<Boolean> UI_TLS_ENABLED =
      ConfigKey.bool(
          "spark.ssl.ui.enabled",
          false,
          "Serve the status page over HTTPS, with the key in spark.ssl.ui.keyStore.");

  /** Status page key store. */
  public static final ConfigKey<String> UI_KEY_STORE =
      ConfigKey.string(
          "spark.ssl.ui.keyStore",
          null,
          "Key store (PKCS12 or JKS) with the status page's key and certificate; when not set,"
              + " spark.ssl.rpc.keyStore with its type and passwords serves the page too.");

  /** Its password. */
  public static final ConfigKey<String> UI_KEY_STORE_PASSWORD =
      ConfigKey.string("spark.ssl.ui.keyStorePassword", null, "Password of spark.ssl.ui.keyStore.");

  /** Its type. */
  public static final ConfigKey<String> UI_KEY_STORE_TYPE =
      ConfigKey.string(
          "spark.ssl.ui.keyStoreType", "PKCS12", "Type of spark.ssl.ui.keyStore: PKCS12 or JKS.");

  /** The key's password. */
  public static final ConfigKey<String> UI_KEY_PASSWORD =
      ConfigKey.string(
          "spark.ssl.ui.keyPassword",
          null,
          "Password of the key in spark.ssl.ui.keyStore, if it differs from the store's.");

  /** All keys declared here. */
  public static List<ConfigKey<?>> all() {
    return ConfigKey.declaredIn(RuntimeConfigKeys.class);
  }
}
