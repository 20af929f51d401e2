package io.rpcenv.runtime.cli;

import io.rpcenv.RpcConf;
import io.rpcenv.runtime.Driver;
import io.rpcenv.runtime.RuntimeConfigKeys;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code rpcenv demo}: a driver and two executor processes running the example plugin of module
 * rpcenv-examples; each executor asks the driver for its initial configuration, and reports a final
 * value when it stops; then everything shuts down.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Run a driver and two executor processes with the example plugin, then stop them all.")
final class DemoCommand implements Callable<Integer> {
  static final String DEMO_PLUGIN = "io.rpcenv.examples.plugin.DemoPlugin";

  @Override
  public Integer call() throws Exception {
    Cli.prepareOutput("driver", "warn");
    try {
      Class.forName(DEMO_PLUGIN);
    } catch (ClassNotFoundException e) {
      System.err.println(
          "rpcenv demo: the example plugin "
              + DEMO_PLUGIN
              + " is not on the class path; run the demo "
              + "with ./rpcenv demo, which uses the jar of module rpcenv-examples");
      return 1;
    }
    // No status page: the demo is over in seconds (./rpcenv driver serves one).
    RpcConf conf =
        new RpcConf()
            .set("spark.plugins", DEMO_PLUGIN)
            .set(RuntimeConfigKeys.UI_ENABLED.key(), "false");
    try (Driver driver = Driver.start(conf)) {
      System.out.println("driver listening at " + driver.url() + "; starting 2 executor processes");
      driver.startLocalExecutors(2);
      if (!driver.awaitExecutors(2, Duration.ofSeconds(60))) {
        System.out.println("the executors did not register within 60 s; stopping");
        return 1;
      }
      System.out.println("both executors registered; stopping them");
    }
    System.out.println("demo finished");
    return 0;
  }
}
