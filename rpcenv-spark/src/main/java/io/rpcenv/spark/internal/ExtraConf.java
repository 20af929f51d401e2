package io.rpcenv.spark.internal;

import io.rpcenv.RpcConf;
import io.rpcenv.plugin.PluginConfigKeys;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the driver part hands the executor parts through Spark's plugin extra conf (which Spark
 * passes to executors inside their {@code SparkConf}, so never a secret): the driver env's URL and
 * the extra conf of each rpcenv driver plugin.
 */
final class ExtraConf {
  private static final String DRIVER_URL = "driverUrl";
  private static final String PLUGIN_CONF = "conf.";

  private ExtraConf() {}

  /** The extra conf for executors: {@code driverUrl}, and every rpcenv plugin's extra conf. */
  static Map<String, String> forExecutors(String driverUrl, RpcConf driverConf) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put(DRIVER_URL, driverUrl);
    driverConf
        .getAll()
        .forEach(
            (k, v) -> {
              if (k.startsWith(PluginConfigKeys.EXTRA_CONF_PREFIX)) {
                out.put(PLUGIN_CONF + k.substring(PluginConfigKeys.EXTRA_CONF_PREFIX.length()), v);
              }
            });
    return out;
  }

  /** The driver env's URL; throws naming what is missing if the driver part sent none. */
  static String driverUrl(Map<String, String> extra) {
    String url = extra.get(DRIVER_URL);
    if (url == null) {
      throw new IllegalStateException(
          "The driver did not pass its rpcenv URL: is io.rpcenv.spark.RpcenvSparkPlugin in the"
              + " driver's spark.plugins, with the same rpcenv-spark jar as the executors?");
    }
    return url;
  }

  /** Writes the rpcenv plugins' extra conf into an executor's {@code conf}, as on the driver. */
  static void applyPluginConf(Map<String, String> extra, RpcConf conf) {
    extra.forEach(
        (k, v) -> {
          if (k.startsWith(PLUGIN_CONF)) {
            conf.set(PluginConfigKeys.EXTRA_CONF_PREFIX + k.substring(PLUGIN_CONF.length()), v);
          }
        });
  }
}
