package io.rpcenv.plugin.host;

import com.codahale.metrics.MetricRegistry;
import io.rpcenv.RpcConf;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcEnv;
import io.rpcenv.plugin.DriverPlugin;
import io.rpcenv.plugin.ExecutorInfo;
import io.rpcenv.plugin.PluginConfigKeys;
import io.rpcenv.plugin.PluginException;
import io.rpcenv.plugin.RpcPlugin;
import io.rpcenv.plugin.internal.DriverContextImpl;
import io.rpcenv.plugin.internal.DriverPluginEndpoint;
import io.rpcenv.plugin.internal.ExecutorEvent;
import io.rpcenv.plugin.internal.PluginContextImpl;
import io.rpcenv.plugin.internal.PluginEndpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the driver parts of the configured plugins in a host (the rpcenv driver, or any program):
 * initializes them in order, publishes their extra conf for executors, then starts the plugin
 * endpoint, registers metrics, relays executor events, and shuts them down in order.
 */
public final class DriverPluginContainer {
  private static final Logger LOG = LoggerFactory.getLogger(DriverPluginContainer.class);

  private final RpcEnv env;
  private final Map<String, DriverPlugin> plugins;
  private final Map<String, PluginContextImpl> contexts;
  private final RpcEndpointRef endpoint;
  private final DriverPluginEndpoint endpointImpl;

  private DriverPluginContainer(
      RpcEnv env,
      Map<String, DriverPlugin> plugins,
      Map<String, PluginContextImpl> contexts,
      DriverPluginEndpoint endpointImpl,
      RpcEndpointRef endpoint) {
    this.env = env;
    this.plugins = plugins;
    this.contexts = contexts;
    this.endpointImpl = endpointImpl;
    this.endpoint = endpoint;
  }

  /**
   * Loads and initializes the driver plugins, starts their endpoint and registers their metrics:
   * the whole start of a host that knows its application id up front. See {@link #init}.
   */
  public static Optional<DriverPluginContainer> start(
      RpcEnv env,
      RpcConf conf,
      String appId,
      ExecutorDirectory executors,
      MetricRegistry hostMetrics,
      ClassLoader loader) {
    Optional<DriverPluginContainer> started = init(env, conf, () -> appId, executors, loader);
    started.ifPresent(c -> c.registerMetrics(appId, hostMetrics));
    return started;
  }

  /**
   * Loads and initializes the driver plugins and starts their endpoint, for hosts (such as Spark)
   * that learn the application id only later: call {@link #registerMetrics} once they do. Each
   * {@code init}'s extra conf is written into {@code conf} as {@code
   * spark.plugins.internal.conf.<plugin class>.<key>}, which executors must receive with the rest
   * of the driver's conf. Returns empty when no plugin has a driver part. Throws {@link
   * PluginException} naming the plugin that failed, after shutting down those already initialized.
   *
   * @param appId the application id, as {@link io.rpcenv.plugin.DriverContext#appId} answers it
   */
  public static Optional<DriverPluginContainer> init(
      RpcEnv env,
      RpcConf conf,
      Supplier<String> appId,
      ExecutorDirectory executors,
      ClassLoader loader) {
    List<RpcPlugin> loaded = PluginLoader.load(conf, loader);
    Map<String, DriverPlugin> initialized = new LinkedHashMap<>();
    Map<String, PluginContextImpl> contexts = new LinkedHashMap<>();
    DriverLink beforeEndpoint =
        () -> {
          throw new IllegalStateException(
              "The driver plugin endpoint is not running yet: plugins cannot send or ask "
                  + "during DriverPlugin.init");
        };
    DriverLink[] link = {beforeEndpoint};
    for (RpcPlugin p : loaded) {
      String name = p.getClass().getName();
      DriverPlugin dp = p.driverPlugin();
      if (dp == null) {
        continue;
      }
      PluginContextImpl ctx =
          new PluginContextImpl(
              name, conf, "driver", env.address().host(), () -> link[0].driverPluginEndpoint());
      Map<String, String> extra;
      try {
        extra = dp.init(new DriverContextImpl(name, appId, conf, env.address(), executors), ctx);
      } catch (RuntimeException | Error e) {
        PluginShutdown.all(initialized, DriverPlugin::shutdown, "driver");
        throw new PluginException("Driver plugin " + name + " failed in init: " + e, e);
      }
      if (extra != null) {
        extra.forEach(
            (k, v) -> {
              if (k != null && v != null) {
                conf.set(PluginConfigKeys.EXTRA_CONF_PREFIX + name + "." + k, v);
              }
            });
      }
      initialized.put(name, dp);
      contexts.put(name, ctx);
    }
    if (initialized.isEmpty()) {
      return Optional.empty();
    }
    DriverPluginEndpoint impl = new DriverPluginEndpoint(initialized);
    RpcEndpointRef ref = env.setupEndpoint(PluginEndpoint.DRIVER_NAME, impl);
    link[0] = () -> ref;
    LOG.info("Driver plugins started: {}", initialized.keySet());
    return Optional.of(new DriverPluginContainer(env, initialized, contexts, impl, ref));
  }

  /**
   * Calls every plugin's {@code registerMetrics} and reports its registry in {@code hostMetrics}
   * under {@code plugin.<class name>}; a failing plugin is logged and the rest still run.
   */
  public void registerMetrics(String appId, MetricRegistry hostMetrics) {
    plugins.forEach(
        (name, dp) -> {
          try {
            dp.registerMetrics(appId, contexts.get(name));
            PluginMetrics.register(hostMetrics, name, contexts.get(name));
          } catch (RuntimeException e) {
            LOG.warn("Driver plugin {} failed to register metrics", name, e);
          }
        });
  }

  /** The names (class names) of the running driver plugins, in order. */
  public List<String> pluginNames() {
    return new ArrayList<>(plugins.keySet());
  }

  /** The plugin endpoint executors send to. */
  public RpcEndpointRef endpoint() {
    return endpoint;
  }

  /** Tells the plugins, on their thread, that an executor registered. */
  public void executorAdded(ExecutorInfo executor) {
    endpoint.send(new ExecutorEvent(executor, null));
  }

  /** Tells the plugins, on their thread, that an executor went away and why. */
  public void executorRemoved(ExecutorInfo executor, String reason) {
    endpoint.send(new ExecutorEvent(executor, reason == null ? "removed" : reason));
  }

  /**
   * Stops the plugin endpoint once it has handled every message already received, then calls every
   * plugin's {@code shutdown} in order; a failing one is logged and the rest still run.
   */
  public void shutdown() {
    PluginShutdown.drainThenShutdown(
        env, endpoint, endpointImpl, plugins, DriverPlugin::shutdown, "driver");
  }
}
