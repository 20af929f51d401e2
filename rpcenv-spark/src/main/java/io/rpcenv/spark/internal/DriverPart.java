package io.rpcenv.spark.internal;

import io.rpcenv.RpcConf;
import io.rpcenv.RpcEnv;
import io.rpcenv.RpcEnvConfig;
import io.rpcenv.plugin.host.DriverPluginContainer;
import io.rpcenv.plugin.host.PluginLoader;
import io.rpcenv.spark.SparkConfigKeys;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapter in the driver: a server-mode rpcenv env on the driver's host, the rpcenv plugins'
 * driver parts in it, Spark's executors followed through its listener bus.
 */
public final class DriverPart implements DriverPlugin {
  private static final Logger LOG = LoggerFactory.getLogger(DriverPart.class);

  private @Nullable RpcEnv env;
  private RpcConf conf = new RpcConf();
  private final SparkExecutors executors = new SparkExecutors();
  private Optional<DriverPluginContainer> plugins = Optional.empty();

  /** Created by {@link io.rpcenv.spark.RpcenvSparkPlugin}. */
  public DriverPart() {}

  @Override
  public Map<String, String> init(SparkContext sc, PluginContext ctx) {
    SparkConf spark = sc.conf();
    conf = SparkSettings.rpcConf(spark);
    String host = spark.get("spark.driver.host", "127.0.0.1");
    int port = conf.get(SparkConfigKeys.PORT);
    RpcEnv started =
        RpcEnv.create(
            RpcEnvConfig.builder("rpcenv-spark-driver")
                .bindAddress(spark.get("spark.driver.bindAddress", host))
                .advertiseAddress(host)
                .port(port)
                .conf(conf)
                .securityManager(SparkSettings.security(spark, SparkEnv.get()))
                .build());
    boolean ok = false;
    try {
      started.setupEndpoint(JoinEndpoint.NAME, new JoinEndpoint(executors));
      plugins =
          DriverPluginContainer.init(
              started,
              conf,
              sc::applicationId,
              executors,
              PluginLoader.contextLoader(DriverPart.class));
      executors.announceTo(plugins.orElse(null));
      sc.addSparkListener(executors);
      String url = started.address().toSparkURL();
      LOG.info(
          "rpcenv driver env at {} (spark.rpcenv.port), running {}",
          url,
          plugins.map(DriverPluginContainer::pluginNames).orElse(List.of()));
      env = started;
      ok = true;
      return ExtraConf.forExecutors(url, conf);
    } finally {
      if (!ok) {
        started.close();
      }
    }
  }

  @Override
  public void registerMetrics(String appId, PluginContext ctx) {
    RpcEnv e = env;
    if (e != null) {
      EnvMetricsInSpark.register(e, ctx.metricRegistry());
    }
    plugins.ifPresent(p -> p.registerMetrics(appId, ctx.metricRegistry()));
  }

  @Override
  public Object receive(Object message) {
    throw new UnsupportedOperationException(
        "rpcenv plugins talk over rpcenv, not through Spark's plugin RPC (got "
            + (message == null ? "null" : message.getClass().getName())
            + ")");
  }

  @Override
  public void shutdown() {
    // Spark has told the executors to stop; what their plugins send in shutdown is received
    // before the driver plugins shut down, as on rpcenv's runtime.
    Duration wait = conf.get(SparkConfigKeys.EXECUTOR_STOP_WAIT);
    try {
      int left = executors.awaitDisconnected(wait);
      if (left > 0) {
        LOG.warn(
            "{} executor(s) still connected to the rpcenv driver env after {} ms"
                + " (spark.rpcenv.executorStopWait): shutting the driver plugins down anyway",
            left,
            wait.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    plugins.ifPresent(DriverPluginContainer::shutdown);
    RpcEnv e = env;
    if (e != null) {
      e.close();
    }
  }
}
