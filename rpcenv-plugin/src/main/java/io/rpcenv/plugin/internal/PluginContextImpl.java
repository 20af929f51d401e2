package io.rpcenv.plugin.internal;

import com.codahale.metrics.MetricRegistry;
import io.rpcenv.RpcConf;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.plugin.PluginContext;
import io.rpcenv.plugin.ResourceInformation;
import io.rpcenv.plugin.host.DriverLink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@link PluginContext} of one plugin in one process. */
public final class PluginContextImpl implements PluginContext {
  private final String pluginName;
  private final MetricRegistry metrics = new MetricRegistry();
  private final RpcConf conf;
  private final String executorId;
  private final String hostname;
  private final Map<String, ResourceInformation> resources;
  private final DriverLink driver;

  /**
   * @param pluginName the plugin's class name
   * @param conf the process's settings
   * @param executorId the executor id, "driver" on the driver
   * @param hostname the host the process is reachable at
   * @param driver how to reach the driver's plugin endpoint
   */
  public PluginContextImpl(
      String pluginName, RpcConf conf, String executorId, String hostname, DriverLink driver) {
    this.pluginName = pluginName;
    this.conf = conf;
    this.executorId = executorId;
    this.hostname = hostname;
    this.resources =
        resourcesOf(
            conf,
            "driver".equals(executorId) ? "spark.driver.resource." : "spark.executor.resource.");
    this.driver = driver;
  }

  @Override
  public MetricRegistry metricRegistry() {
    return metrics;
  }

  @Override
  public RpcConf conf() {
    return conf;
  }

  @Override
  public String executorID() {
    return executorId;
  }

  @Override
  public String hostname() {
    return hostname;
  }

  @Override
  public Map<String, ResourceInformation> resources() {
    return resources;
  }

  @Override
  public void send(Object message) {
    driver.driverPluginEndpoint().send(new PluginMessage(pluginName, message));
  }

  @Override
  public Object ask(Object message) throws Exception {
    RpcEndpointRef ref = driver.driverPluginEndpoint();
    try {
      return ref.askSync(new PluginMessage(pluginName, message));
    } catch (IllegalStateException selfAsk) {
      if (selfAsk.getMessage() != null && selfAsk.getMessage().contains("on itself")) {
        throw new IllegalStateException(
            "Plugin "
                + pluginName
                + " called ask from inside DriverPlugin.receive: the driver plugins' thread handles"
                + " one message at a time, so the ask would only wait for itself until"
                + " spark.rpc.askTimeout. Use send, or compute the answer directly",
            selfAsk);
      }
      throw selfAsk;
    } catch (RuntimeException e) {
      throw Replies.rethrow(e);
    }
  }

  /** Resources given in {@code <prefix><name>.addresses = a,b,c}. */
  static Map<String, ResourceInformation> resourcesOf(RpcConf conf, String prefix) {
    Map<String, ResourceInformation> out = new LinkedHashMap<>();
    conf.getAll()
        .forEach(
            (k, v) -> {
              if (k.startsWith(prefix) && k.endsWith(".addresses")) {
                String name = k.substring(prefix.length(), k.length() - ".addresses".length());
                List<String> addresses = new ArrayList<>();
                Arrays.stream(v.split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .forEach(addresses::add);
                out.put(name, new ResourceInformation(name, addresses));
              }
            });
    return Map.copyOf(out);
  }
}
