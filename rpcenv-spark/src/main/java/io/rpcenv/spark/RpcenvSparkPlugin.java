package io.rpcenv.spark;

import io.rpcenv.spark.internal.DriverPart;
import io.rpcenv.spark.internal.ExecutorPart;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * Runs the {@link io.rpcenv.plugin.RpcPlugin}s named in {@code spark.rpcenv.plugins} inside a Spark
 * application, unchanged, over rpcenv's own transport:
 *
 * <pre>
 * spark-submit --jars rpcenv-spark-VERSION.jar,my-plugin.jar \
 *   --conf spark.plugins=io.rpcenv.spark.RpcenvSparkPlugin \
 *   --conf spark.rpcenv.plugins=com.example.MyPlugin ...
 * </pre>
 *
 * <p>The driver part starts a server-mode rpcenv env on the driver's host and bind address (port
 * {@code spark.rpcenv.port}) and runs the plugins' driver parts; each executor part starts a
 * client-mode env that connects to it and runs the executor parts. Both directions work as on
 * rpcenv's runtime: executor to driver {@code ask} and {@code send}, driver to executor {@code
 * sendToExecutor}, {@code askExecutor} and {@code broadcast}. The application's {@code SparkConf}
 * is the plugins' {@code RpcConf}, and security follows the application: {@code spark.authenticate}
 * with the application's own secret, {@code spark.ssl.rpc.*} for TLS.
 */
public final class RpcenvSparkPlugin implements SparkPlugin {
  /** Created by Spark, once in the driver and once in every executor. */
  public RpcenvSparkPlugin() {}

  @Override
  public DriverPlugin driverPlugin() {
    return new DriverPart();
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new ExecutorPart();
  }
}
