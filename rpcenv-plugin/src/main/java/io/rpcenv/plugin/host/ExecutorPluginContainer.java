package io.rpcenv.plugin.host;

import com.codahale.metrics.MetricRegistry;
import io.rpcenv.RpcConf;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcEnv;
import io.rpcenv.plugin.ExecutorPlugin;
import io.rpcenv.plugin.PluginConfigKeys;
import io.rpcenv.plugin.PluginException;
import io.rpcenv.plugin.RpcPlugin;
import io.rpcenv.plugin.internal.PluginContextImpl;
import io.rpcenv.plugin.internal.PluginEndpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the executor parts of the configured plugins in an executor: initializes them with the extra
 * conf their driver parts published, starts the executor's plugin endpoint (for messages from the
 * driver), offers the task hooks, and shuts them down.
 */
public final class ExecutorPluginContainer {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorPluginContainer.class);

  private final RpcEnv env;
  private final Map<String, ExecutorPlugin> plugins;
  private final PluginEndpoint endpointImpl;
  private final RpcEndpointRef endpoint;

  private ExecutorPluginContainer(
      RpcEnv env,
      Map<String, ExecutorPlugin> plugins,
      PluginEndpoint endpointImpl,
      RpcEndpointRef endpoint) {
    this.env = env;
    this.plugins = plugins;
    this.endpointImpl = endpointImpl;
    this.endpoint = endpoint;
  }

  /**
   * Loads and initializes the executor plugins; returns empty when no plugin has an executor part.
   * Throws {@link PluginException} naming the plugin that failed, after shutting down those already
   * initialized.
   *
   * @param conf the executor's settings, which include the driver's (and so the plugins' extra
   *     conf)
   * @param hostname the host the executor reports
   */
  public static Optional<ExecutorPluginContainer> start(
      RpcEnv env,
      RpcConf conf,
      String executorId,
      String hostname,
      DriverLink driver,
      MetricRegistry hostMetrics,
      ClassLoader loader) {
    Map<String, ExecutorPlugin> initialized = new LinkedHashMap<>();
    for (RpcPlugin p : PluginLoader.load(conf, loader)) {
      String name = p.getClass().getName();
      ExecutorPlugin ep = p.executorPlugin();
      if (ep == null) {
        continue;
      }
      PluginContextImpl ctx = new PluginContextImpl(name, conf, executorId, hostname, driver);
      try {
        ep.init(ctx, extraConf(conf, name));
      } catch (RuntimeException | Error e) {
        PluginShutdown.all(initialized, ExecutorPlugin::shutdown, "executor");
        throw new PluginException(
            "Executor plugin " + name + " failed in init on executor " + executorId + ": " + e, e);
      }
      initialized.put(name, ep);
      try {
        PluginMetrics.register(hostMetrics, name, ctx);
      } catch (RuntimeException e) {
        LOG.warn("Executor plugin {} metrics could not be registered", name, e);
      }
    }
    if (initialized.isEmpty()) {
      return Optional.empty();
    }
    Map<String, PluginEndpoint.Receiver> receivers = new LinkedHashMap<>();
    initialized.forEach((name, ep) -> receivers.put(name, ep::receive));
    PluginEndpoint impl = new PluginEndpoint("executor " + executorId, receivers);
    RpcEndpointRef ref = env.setupEndpoint(PluginEndpoint.EXECUTOR_NAME, impl);
    LOG.info("Executor plugins started on executor {}: {}", executorId, initialized.keySet());
    return Optional.of(new ExecutorPluginContainer(env, initialized, impl, ref));
  }

  /** The settings of {@code spark.plugins.internal.conf.<plugin>.*}, with that prefix removed. */
  static Map<String, String> extraConf(RpcConf conf, String pluginName) {
    String prefix = PluginConfigKeys.EXTRA_CONF_PREFIX + pluginName + ".";
    Map<String, String> extra = new LinkedHashMap<>();
    conf.getAll()
        .forEach(
            (k, v) -> {
              if (k.startsWith(prefix)) {
                extra.put(k.substring(prefix.length()), v);
              }
            });
    return extra;
  }

  /** The names (class names) of the running executor plugins, in order. */
  public List<String> pluginNames() {
    return new ArrayList<>(plugins.keySet());
  }

  /** The endpoint through which the driver's plugins reach this executor's. */
  public RpcEndpointRef endpoint() {
    return endpoint;
  }

  /** Calls every plugin's {@code onTaskStart}; failures are logged, not thrown. */
  public void onTaskStart() {
    each("onTaskStart", ExecutorPlugin::onTaskStart);
  }

  /** Calls every plugin's {@code onTaskSucceeded}, even if its {@code onTaskStart} failed. */
  public void onTaskSucceeded() {
    each("onTaskSucceeded", ExecutorPlugin::onTaskSucceeded);
  }

  /** Calls every plugin's {@code onTaskFailed}, even if its {@code onTaskStart} failed. */
  public void onTaskFailed(Throwable failureReason) {
    each("onTaskFailed", p -> p.onTaskFailed(failureReason));
  }

  private void each(String hook, Consumer<ExecutorPlugin> call) {
    plugins.forEach(
        (name, p) -> {
          try {
            call.accept(p);
          } catch (Throwable t) {
            LOG.info("Executor plugin {} failed in {}", name, hook, t);
          }
        });
  }

  /**
   * Stops the plugin endpoint once it has handled the messages already received, then calls every
   * plugin's {@code shutdown} in order (each may still send to the driver).
   */
  public void shutdown() {
    PluginShutdown.drainThenShutdown(
        env, endpoint, endpointImpl, plugins, ExecutorPlugin::shutdown, "executor");
  }
}
