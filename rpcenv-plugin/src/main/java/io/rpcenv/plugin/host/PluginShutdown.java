package io.rpcenv.plugin.host;

import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcEnv;
import io.rpcenv.plugin.internal.PluginEndpoint;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How both containers stop: drain the plugin endpoint, then shut each plugin down in order. */
final class PluginShutdown {
  private static final Logger LOG = LoggerFactory.getLogger(PluginShutdown.class);

  private PluginShutdown() {}

  /**
   * Stops {@code ref} once it has handled what it already received (at most 30 s), then {@link
   * #all}.
   */
  static <P> void drainThenShutdown(
      RpcEnv env,
      RpcEndpointRef ref,
      PluginEndpoint endpoint,
      Map<String, P> plugins,
      Consumer<P> shutdown,
      String side) {
    env.stop(ref);
    try {
      endpoint.stopped().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn(
          "The {} plugin endpoint did not drain within 30 s; shutting the plugins down anyway",
          side);
    }
    all(plugins, shutdown, side);
  }

  /**
   * Calls {@code shutdown} on every plugin in order; a failure is logged and the rest still run.
   */
  static <P> void all(Map<String, P> plugins, Consumer<P> shutdown, String side) {
    plugins.forEach(
        (name, p) -> {
          try {
            shutdown.accept(p);
          } catch (Throwable t) {
            LOG.warn("The {} part of plugin {} failed in shutdown", side, name, t);
          }
        });
  }
}
