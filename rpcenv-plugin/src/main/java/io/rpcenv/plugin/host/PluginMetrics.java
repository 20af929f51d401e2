package io.rpcenv.plugin.host;

import com.codahale.metrics.MetricRegistry;
import io.rpcenv.plugin.PluginContext;

/** Reports a plugin's metrics in the host's registry, under {@code plugin.<class name>}. */
final class PluginMetrics {
  private PluginMetrics() {}

  /**
   * Registers what the plugin has registered so far, if anything (metrics added later are not
   * reported).
   */
  static void register(MetricRegistry host, String pluginName, PluginContext ctx) {
    if (!ctx.metricRegistry().getMetrics().isEmpty()) {
      host.register(MetricRegistry.name("plugin", pluginName), ctx.metricRegistry());
    }
  }
}
