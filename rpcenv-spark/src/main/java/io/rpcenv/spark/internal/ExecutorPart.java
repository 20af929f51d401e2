package io.rpcenv.spark.internal;

import io.rpcenv.RpcConf;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcEnv;
import io.rpcenv.RpcEnvConfig;
import io.rpcenv.plugin.host.DriverLink;
import io.rpcenv.plugin.host.ExecutorPluginContainer;
import io.rpcenv.plugin.host.PluginLoader;
import io.rpcenv.spark.SparkTaskFailedException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.util.Utils;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * The adapter in an executor: a client-mode rpcenv env connected to the driver part's, the rpcenv
 * plugins' executor parts in it, Spark's task hooks forwarded to them.
 */
public final class ExecutorPart implements ExecutorPlugin {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorPart.class);

  private @Nullable RpcEnv env;
  private Optional<ExecutorPluginContainer> plugins = Optional.empty();

  /** Created by {@link io.rpcenv.spark.RpcenvSparkPlugin}. */
  public ExecutorPart() {}

  @Override
  public void init(PluginContext ctx, Map<String, String> extraConf) {
    String executorId = ctx.executorID();
    String driverUrl = ExtraConf.driverUrl(extraConf);
    RpcConf conf = SparkSettings.rpcConf(ctx.conf());
    ExtraConf.applyPluginConf(extraConf, conf);
    // Spark's executor, unlike its client-only RpcEnv, knows the host it runs on.
    String host = Utils.localHostName();
    // Spark runs plugin init with the executor's class loader as the context loader: the one that
    // holds --jars. The env deserializes with it, and the plugins are loaded from it.
    ClassLoader loader = PluginLoader.contextLoader(ExecutorPart.class);
    RpcEnv started =
        RpcEnv.create(
            RpcEnvConfig.builder("rpcenv-spark-executor-" + executorId)
                .clientMode(true)
                .conf(conf)
                .securityManager(SparkSettings.security(ctx.conf(), SparkEnv.get()))
                .build());
    boolean ok = false;
    try {
      EnvMetricsInSpark.register(started, ctx.metricRegistry());
      RpcEndpointRef join = DriverJoinRef.lookup(started, driverUrl, executorId);
      plugins =
          ExecutorPluginContainer.start(
              started,
              conf,
              executorId,
              host,
              DriverLink.lookup(started, Objects.requireNonNull(join.address())),
              ctx.metricRegistry(),
              loader);
      join.askSync(
          new ExecutorJoined(
              executorId, host, plugins.map(ExecutorPluginContainer::endpoint).orElse(null)));
      LOG.info(
          "rpcenv executor {} joined the driver env at {}, running {}",
          executorId,
          driverUrl,
          plugins.map(ExecutorPluginContainer::pluginNames).orElse(List.of()));
      env = started;
      ok = true;
    } finally {
      if (!ok) {
        plugins.ifPresent(ExecutorPluginContainer::shutdown);
        started.close();
      }
    }
  }

  @Override
  public void onTaskStart() {
    plugins.ifPresent(ExecutorPluginContainer::onTaskStart);
  }

  @Override
  public void onTaskSucceeded() {
    plugins.ifPresent(ExecutorPluginContainer::onTaskSucceeded);
  }

  @Override
  public void onTaskFailed(TaskFailedReason reason) {
    plugins.ifPresent(p -> p.onTaskFailed(cause(reason)));
  }

  /** The task's own exception where Spark kept it, else Spark's description of the failure. */
  static Throwable cause(TaskFailedReason reason) {
    if (reason instanceof ExceptionFailure failure) {
      Option<Throwable> e = failure.exception();
      if (e.isDefined()) {
        return e.get();
      }
    }
    return new SparkTaskFailedException(reason.toErrorString());
  }

  @Override
  public void shutdown() {
    plugins.ifPresent(ExecutorPluginContainer::shutdown);
    RpcEnv e = env;
    if (e != null) {
      e.close();
    }
  }
}
