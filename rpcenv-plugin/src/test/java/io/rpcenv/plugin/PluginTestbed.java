package io.rpcenv.plugin;

import com.codahale.metrics.MetricRegistry;
import io.rpcenv.RpcCallContext;
import io.rpcenv.RpcConf;
import io.rpcenv.RpcEndpoint;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcEnv;
import io.rpcenv.TestEnvs;
import io.rpcenv.ThreadSafeRpcEndpoint;
import io.rpcenv.plugin.host.DriverLink;
import io.rpcenv.plugin.host.DriverPluginContainer;
import io.rpcenv.plugin.host.ExecutorDirectory;
import io.rpcenv.plugin.host.ExecutorPluginContainer;
import io.rpcenv.testkit.Resources;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A driver env and executor envs in one JVM, wired the way a host wires them, without the runtime.
 */
final class PluginTestbed implements ExecutorDirectory {
  final Resources resources;
  final RpcConf driverConf;
  final RpcEnv driverEnv;
  final MetricRegistry driverMetrics = new MetricRegistry();
  final Map<String, ExecutorInfo> infos = new ConcurrentHashMap<>();
  final Map<String, RpcEndpointRef> pluginRefs = new ConcurrentHashMap<>();
  Optional<DriverPluginContainer> driver = Optional.empty();

  record Register(ExecutorInfo info, RpcEndpointRef pluginEndpoint) implements Serializable {}

  PluginTestbed(Resources resources, RpcConf conf) {
    this.resources = resources;
    this.driverConf = conf.set("spark.rpc.askTimeout", conf.get("spark.rpc.askTimeout", "20s"));
    this.driverEnv = new TestEnvs(resources).server("driver", driverConf);
    class Registry extends RpcEndpoint implements ThreadSafeRpcEndpoint {
      @Override
      public void receiveAndReply(Object message, RpcCallContext context) {
        Register r = (Register) message;
        infos.put(r.info().executorId(), r.info());
        if (r.pluginEndpoint() != null) {
          pluginRefs.put(r.info().executorId(), r.pluginEndpoint());
        }
        driver.ifPresent(d -> d.executorAdded(r.info()));
        context.reply(true);
      }
    }
    driverEnv.setupEndpoint("registry", new Registry());
  }

  PluginTestbed startDriver() {
    driver =
        DriverPluginContainer.start(
            driverEnv, driverConf, "app-test", this, driverMetrics, getClass().getClassLoader());
    return this;
  }

  /** An executor in a client-mode env: fetches the driver conf, starts its plugins, registers. */
  final class Exec {
    final RpcEnv env;
    final MetricRegistry metrics = new MetricRegistry();
    final Optional<ExecutorPluginContainer> plugins;

    Exec(String id) {
      env = new TestEnvs(resources).client("executor-" + id, driverConf.copy());
      RpcConf conf = driverConf.copy(); // in the runtime, fetched from the driver over RPC
      plugins =
          ExecutorPluginContainer.start(
              env,
              conf,
              id,
              "exec-host-" + id,
              DriverLink.lookup(env, driverEnv.address()),
              metrics,
              getClass().getClassLoader());
      env.setupEndpointRef(driverEnv.address(), "registry")
          .askSync(
              new Register(
                  new ExecutorInfo(id, "exec-host-" + id, 1, Instant.now()),
                  plugins.map(p -> p.endpoint()).orElse(null)));
    }
  }

  Exec executor(String id) {
    return new Exec(id);
  }

  void removeExecutor(String id, String reason) {
    ExecutorInfo info = infos.remove(id);
    pluginRefs.remove(id);
    driver.ifPresent(d -> d.executorRemoved(info, reason));
  }

  @Override
  public List<ExecutorInfo> executors() {
    return List.copyOf(infos.values());
  }

  @Override
  public RpcEndpointRef pluginEndpoint(String executorId) {
    return pluginRefs.get(executorId);
  }
}
