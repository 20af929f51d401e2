package io.rpcenv.plugin.internal;

import io.rpcenv.plugin.DriverPlugin;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The driver's plugin endpoint: plugin messages plus executor events, all on the plugin thread. */
public final class DriverPluginEndpoint extends PluginEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(DriverPluginEndpoint.class);

  private final Map<String, DriverPlugin> plugins;

  public DriverPluginEndpoint(Map<String, DriverPlugin> plugins) {
    super("driver", receivers(plugins));
    this.plugins = new LinkedHashMap<>(plugins);
  }

  private static Map<String, Receiver> receivers(Map<String, DriverPlugin> plugins) {
    Map<String, Receiver> r = new LinkedHashMap<>();
    plugins.forEach((name, p) -> r.put(name, p::receive));
    return r;
  }

  @Override
  protected void other(Object message) {
    if (!(message instanceof ExecutorEvent e)) {
      super.other(message);
      return;
    }
    plugins.forEach(
        (name, plugin) -> {
          try {
            if (e.removedReason() == null) {
              plugin.onExecutorAdded(e.executor());
            } else {
              plugin.onExecutorRemoved(e.executor(), e.removedReason());
            }
          } catch (Exception ex) {
            LOG.warn(
                "Driver plugin {} failed handling {} of executor {}",
                name,
                e.removedReason() == null ? "the addition" : "the removal",
                e.executor().executorId(),
                ex);
          }
        });
  }
}
