package io.rpcenv.plugin;

/**
 * A plugin with a part that runs in the driver and a part that runs in every executor; either may
 * be null. Named in {@code spark.plugins} by class name; the class needs a public no-argument
 * constructor or one taking an {@link io.rpcenv.RpcConf}. A constructor that throws {@link
 * UnsupportedOperationException} means "not in this process": the plugin is skipped.
 */
public interface RpcPlugin {
  /** The driver part, or null. Called once, on the driver. */
  DriverPlugin driverPlugin();

  /** The executor part, or null. Called once in each executor. */
  ExecutorPlugin executorPlugin();
}
