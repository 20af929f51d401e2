package io.rpcenv.runtime.cli;

import io.rpcenv.RpcConf;
import io.rpcenv.runtime.Driver;
import io.rpcenv.runtime.RuntimeConfigKeys;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rpcenv driver}: runs a driver until interrupted (Ctrl-C or SIGTERM stop it in order). */
@Command(
    name = "driver",
    mixinStandardHelpOptions = true,
    description = {
      "Run a driver that executors connect to; plugins come from spark.plugins.",
      "Prints the URL executors need (spark://driver@host:port). Ctrl-C stops the executors, then"
          + " the plugins."
    })
final class DriverCommand implements Callable<Integer> {
  @Option(
      names = "--host",
      paramLabel = "H",
      description = "Host to advertise (default 127.0.0.1).")
  String host;

  @Option(
      names = "--bind",
      paramLabel = "ADDR",
      description = "Address to listen on (default: the host).")
  String bind;

  @Option(
      names = "--port",
      paramLabel = "P",
      description = "Port to listen on (default 0: a free port).")
  Integer port;

  @CommandLine.Mixin ConfOptions confOptions;

  @Option(
      names = "--jars",
      paramLabel = "JARS",
      description =
          "Comma-separated jars with plugins (spark.jars): the driver loads them and serves them to"
              + " every executor, which needs nothing else on its class path.")
  String jars;

  @Option(
      names = "--local-executors",
      paramLabel = "N",
      defaultValue = "0",
      description = "Start N executors as child processes of this one.")
  int localExecutors;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (localExecutors < 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--local-executors must not be negative: " + localExecutors);
    }
    if (port != null && port != 0 && (port < 1024 || port > 65535)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--port must be 0 or between 1024 and 65535: " + port);
    }
    Cli.prepareOutput("driver", "info");
    RpcConf settings = confOptions.settings();
    if (host != null) {
      settings.set(RuntimeConfigKeys.DRIVER_HOST.key(), host);
    }
    if (bind != null) {
      settings.set(RuntimeConfigKeys.DRIVER_BIND_ADDRESS.key(), bind);
    }
    if (port != null) {
      settings.set(RuntimeConfigKeys.DRIVER_PORT.key(), String.valueOf(port));
    }
    if (jars != null) {
      settings.set(RuntimeConfigKeys.JARS.key(), jars);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Cli.Starting<Driver> starting = new Cli.Starting<>();
    // Registered before the start, so that a SIGTERM at any moment gets the orderly stop.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  Driver d = starting.await();
                  if (d == null) {
                    return; // the start failed: the process ends with the start's own code
                  }
                  d.shutdown();
                  stopped.countDown();
                  // Stopped in order on SIGTERM or Ctrl-C: exit 0, not 128 + signal.
                  Cli.halt(0);
                },
                "rpcenv-driver-shutdown-hook"));
    Driver driver = starting.run(() -> Driver.start(settings));
    System.out.println("driver " + driver.appId() + " listening at " + driver.url());
    driver.statusPageUrl().ifPresent(url -> System.out.println("status page at " + url));
    if (localExecutors > 0) {
      driver.startLocalExecutors(localExecutors);
    }
    stopped.await();
    return 0;
  }
}
