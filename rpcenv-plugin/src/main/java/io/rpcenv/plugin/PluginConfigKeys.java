package io.rpcenv.plugin;

import io.rpcenv.ConfigKey;
import java.util.List;

/**
 * The settings of the plugin framework, declared once; the README's table is checked against them.
 */
public final class PluginConfigKeys {
  private PluginConfigKeys() {}

  /** Plugins to load. */
  public static final ConfigKey<String> PLUGINS =
      ConfigKey.string(
          "spark.plugins",
          "",
          "Comma-separated RpcPlugin class names to load in the driver and every executor.");

  /** Plugins loaded before spark.plugins. */
  public static final ConfigKey<String> PLUGINS_DEFAULT_LIST =
      ConfigKey.string(
          "spark.plugins.defaultList",
          "",
          "Plugins loaded before those of spark.plugins (duplicates are loaded once), e.g. set"
              + " cluster-wide.");

  /** Prefix under which driver plugins' extra conf travels to executors. */
  public static final String EXTRA_CONF_PREFIX = "spark.plugins.internal.conf.";

  /** All keys declared here. */
  public static List<ConfigKey<?>> all() {
    return ConfigKey.declaredIn(PluginConfigKeys.class);
  }
}
