package io.rpcenv.examples.plugin;

import io.rpcenv.examples.plugin.DemoMessages.FinalValueResponse;
import io.rpcenv.examples.plugin.DemoMessages.InitialConfigRequest;
import io.rpcenv.examples.plugin.DemoMessages.InitialConfigResponse;
import io.rpcenv.plugin.DriverPlugin;
import io.rpcenv.plugin.ExecutorPlugin;
import io.rpcenv.plugin.PluginContext;
import io.rpcenv.plugin.RpcPlugin;
import java.util.Map;

/**
 * The demo plugin. Each executor part asks the driver part for its initial configuration in {@code
 * init} (the driver answers 10) and prints it; when it stops, it sends ten times that value to the
 * driver, which prints it.
 *
 * <pre>
 * ./rpcenv driver --conf spark.plugins=io.rpcenv.examples.plugin.DemoPlugin --local-executors 2
 * </pre>
 */
public final class DemoPlugin implements RpcPlugin {

  @Override
  public DriverPlugin driverPlugin() {
    return new DriverPlugin() {
      @Override
      public Object receive(Object message) {
        if (message instanceof InitialConfigRequest) {
          return new InitialConfigResponse(10);
        }
        if (message instanceof FinalValueResponse f) {
          System.out.println("the final value is " + f.value());
          return null;
        }
        throw new IllegalArgumentException("DemoPlugin does not understand " + message);
      }
    };
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new ExecutorPlugin() {
      private PluginContext ctx;
      private int value;

      @Override
      public void init(PluginContext ctx, Map<String, String> extraConf) {
        this.ctx = ctx;
        try {
          value = ctx.ask(new InitialConfigRequest(), InitialConfigResponse.class).value();
        } catch (Exception e) {
          throw new IllegalStateException(
              "could not get the initial configuration from the driver: " + e, e);
        }
        System.out.println("the initial configuration is " + value);
      }

      @Override
      public void shutdown() {
        ctx.send(new FinalValueResponse(value * 10));
      }
    };
  }
}
