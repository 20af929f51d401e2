package com.example.sparkit;

import com.example.sparkit.ItMessages.Boom;
import com.example.sparkit.ItMessages.Hello;
import com.example.sparkit.ItMessages.ItFailure;
import com.example.sparkit.ItMessages.Note;
import com.example.sparkit.ItMessages.Noted;
import com.example.sparkit.ItMessages.Outcome;
import com.example.sparkit.ItMessages.Ping;
import com.example.sparkit.ItMessages.Pong;
import com.example.sparkit.ItMessages.TaskCounts;
import io.rpcenv.plugin.DriverContext;
import io.rpcenv.plugin.DriverPlugin;
import io.rpcenv.plugin.ExecutorInfo;
import io.rpcenv.plugin.ExecutorPlugin;
import io.rpcenv.plugin.PluginContext;
import io.rpcenv.plugin.RpcPlugin;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The plugin the Spark tests run: a plain rpcenv plugin that knows nothing of Spark. Its executor
 * part says hello, provokes the driver part's exception, and answers the driver's asks and
 * broadcasts; its driver part records everything in {@link ItDriverState}.
 */
public final class ItPlugin implements RpcPlugin {
  @Override
  public DriverPlugin driverPlugin() {
    return new DriverPlugin() {
      @Override
      public Map<String, String> init(DriverContext driver, PluginContext ctx) {
        ItDriverState.current().init(driver);
        return Map.of("greeting", "welcome");
      }

      @Override
      public void registerMetrics(String appId, PluginContext ctx) {
        ctx.metricRegistry().counter("hellos");
      }

      @Override
      public Object receive(Object message) throws Exception {
        if (message instanceof Hello h) {
          ItDriverState.current().hello(h);
          return "welcome";
        }
        if (message instanceof Boom b) {
          throw new ItFailure("the driver refuses: " + b.why());
        }
        if (message instanceof Outcome o) {
          ItDriverState.current().outcome(o);
          return null;
        }
        if (message instanceof Noted n) {
          ItDriverState.current().noted(n);
          return null;
        }
        throw new IllegalArgumentException("ItPlugin does not understand " + message);
      }

      @Override
      public void onExecutorAdded(ExecutorInfo executor) {
        ItDriverState.current().added(executor);
      }

      @Override
      public void onExecutorRemoved(ExecutorInfo executor, String reason) {
        ItDriverState.current().removed(executor, reason);
      }

      @Override
      public void shutdown() {
        ItDriverState.current().shutDown();
      }
    };
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new ExecutorPlugin() {
      private PluginContext ctx;
      private final AtomicInteger starts = new AtomicInteger();
      private final AtomicInteger successes = new AtomicInteger();
      private final AtomicInteger failures = new AtomicInteger();
      private volatile String lastFailure = "none";

      @Override
      public void init(PluginContext ctx, Map<String, String> extraConf) {
        this.ctx = ctx;
        try {
          String reply =
              ctx.ask(
                  new Hello(ctx.executorID(), ProcessHandle.current().pid(), ctx.hostname()),
                  String.class);
          if (!reply.equals(extraConf.get("greeting"))) {
            throw new IllegalStateException(
                "the driver said " + reply + ", its extra conf " + extraConf);
          }
        } catch (Exception e) {
          throw new IllegalStateException("hello failed: " + e, e);
        }
        String what;
        try {
          ctx.ask(new Boom("no reason"));
          what = "answered";
        } catch (ItFailure f) {
          what = "ItFailure: " + f.getMessage();
        } catch (Exception e) {
          what = "other: " + e;
        }
        ctx.send(new Outcome(ctx.executorID(), what));
      }

      @Override
      public Object receive(Object message) {
        if (message instanceof Ping p) {
          return new Pong(ctx.executorID(), p.n());
        }
        if (message instanceof Note n) {
          ctx.send(new Noted(ctx.executorID(), n.text()));
          return null;
        }
        if (message instanceof TaskCounts) {
          return starts.get() + "/" + successes.get() + "/" + failures.get() + " " + lastFailure;
        }
        throw new IllegalArgumentException(
            "ItPlugin's executor part does not understand " + message);
      }

      @Override
      public void onTaskStart() {
        starts.incrementAndGet();
      }

      @Override
      public void onTaskSucceeded() {
        successes.incrementAndGet();
      }

      @Override
      public void onTaskFailed(Throwable failureReason) {
        failures.incrementAndGet();
        lastFailure = failureReason.getClass().getName() + ": " + failureReason.getMessage();
      }
    };
  }
}
