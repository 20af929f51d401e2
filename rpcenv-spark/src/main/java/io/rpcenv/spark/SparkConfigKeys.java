package io.rpcenv.spark;

import io.rpcenv.ConfigKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The settings of the Spark adapter, declared once; the README's table is checked against them.
 * Every other {@code spark.*} setting of the application reaches rpcenv unchanged.
 */
public final class SparkConfigKeys {
  private SparkConfigKeys() {}

  /** The rpcenv plugins the adapter runs. */
  public static final ConfigKey<String> PLUGINS =
      ConfigKey.string(
          "spark.rpcenv.plugins",
          "",
          "Comma-separated RpcPlugin class names that RpcenvSparkPlugin runs in the driver and"
              + " every executor (spark.plugins names the adapter itself).");

  /** The port of the driver's rpcenv env. */
  public static final ConfigKey<Integer> PORT =
      ConfigKey.integer(
              "spark.rpcenv.port",
              0,
              "Port of the rpcenv env on the driver, which executors connect to; 0 picks a free"
                  + " one. Open it between executors and the driver where a firewall or a"
                  + " Kubernetes service stands between them.")
          .checked(v -> v < 0 || v > 65535 ? "must be between 0 and 65535" : null);

  /** How long the driver part's shutdown waits for executors to finish theirs. */
  public static final ConfigKey<Duration> EXECUTOR_STOP_WAIT =
      ConfigKey.time(
          "spark.rpcenv.executorStopWait",
          TimeUnit.MILLISECONDS,
          "10s",
          "When the application stops, how long the driver's rpcenv plugins wait, after Spark has"
              + " told the executors to stop, for the executors' plugins to finish their shutdown"
              + " (and what they send in it) before they shut down themselves.");

  /** All keys declared here. */
  public static List<ConfigKey<?>> all() {
    return ConfigKey.declaredIn(SparkConfigKeys.class);
  }
}
