package io.rpcenv.examples.plugin;

import io.rpcenv.plugin.DriverContext;
import io.rpcenv.plugin.DriverPlugin;
import io.rpcenv.plugin.ExecutorInfo;
import io.rpcenv.plugin.ExecutorPlugin;
import io.rpcenv.plugin.PluginContext;
import io.rpcenv.plugin.RpcPlugin;
import java.io.Serializable;
import java.util.Map;

/**
 * The README's plugin: executors add to a total kept by the driver, and the driver asks each new
 * executor what it sees.
 *
 * <pre>
 * ./rpcenv driver --conf spark.plugins=io.rpcenv.examples.plugin.CounterPlugin --local-executors 2
 * </pre>
 */
public final class CounterPlugin implements RpcPlugin {
  /** Executor to driver: add {@code n} to the total; the reply is the new total. */
  public record Add(int n) implements Serializable {}

  @Override
  public DriverPlugin driverPlugin() {
    return new DriverPlugin() {
      private DriverContext driver;
      private int total; // only the plugin thread touches it: no locking needed

      @Override
      public Map<String, String> init(DriverContext driver, PluginContext ctx) {
        this.driver = driver;
        return Map.of("start", "10"); // reaches every executor part's init
      }

      @Override
      public Object receive(Object message) {
        if (message instanceof Add a) {
          total += a.n();
          System.out.println("total is now " + total);
          return total; // the reply to an ask
        }
        throw new IllegalArgumentException(
            "unexpected " + message); // thrown at the asker, same type
      }

      @Override
      public void onExecutorAdded(ExecutorInfo executor) {
        // driver to executor, without blocking the plugin thread
        driver
            .askExecutorAsync(executor.executorId(), "what do you see?")
            .thenAccept(
                reply ->
                    System.out.println("executor " + executor.executorId() + " says: " + reply));
      }
    };
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new ExecutorPlugin() {
      private int total;

      @Override
      public void init(PluginContext ctx, Map<String, String> extraConf) {
        int start = Integer.parseInt(extraConf.get("start"));
        try {
          total =
              ctx.ask(new Add(start), Integer.class); // blocking, bounded by spark.rpc.askTimeout
        } catch (Exception e) {
          throw new IllegalStateException("the driver did not take our start value", e);
        }
        ctx.send(new Add(1)); // one way
      }

      @Override
      public Object receive(Object message) {
        return "a total of " + total + " when I started";
      }
    };
  }
}
