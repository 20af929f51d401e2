package com.example.sparkit;

import io.rpcenv.plugin.ExecutorPlugin;
import io.rpcenv.plugin.PluginContext;
import io.rpcenv.plugin.RpcPlugin;
import java.util.Map;

/** A plugin whose executor part cannot start, for the error Spark reports. */
public final class FailingPlugin implements RpcPlugin {
  @Override
  public io.rpcenv.plugin.DriverPlugin driverPlugin() {
    return null;
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new ExecutorPlugin() {
      @Override
      public void init(PluginContext ctx, Map<String, String> extraConf) {
        throw new IllegalStateException("no GPU on this executor");
      }
    };
  }
}
