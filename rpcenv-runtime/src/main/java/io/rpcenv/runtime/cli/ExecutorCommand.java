package io.rpcenv.runtime.cli;

import io.rpcenv.RpcConf;
import io.rpcenv.RpcEndpointAddress;
import io.rpcenv.runtime.Executor;
import io.rpcenv.runtime.ExitCode;
import io.rpcenv.runtime.RuntimeConfigKeys;
import java.net.InetAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rpcenv executor}: joins a driver and runs until it stops, exiting with an {@link
 * ExitCode}.
 */
@Command(
    name = "executor",
    mixinStandardHelpOptions = true,
    description = {
      "Run an executor that joins the driver at the given URL, from this or another machine.",
      "Exit codes: 0 stopped, 1 failed to start, 2 bad arguments, 3 lost the driver, 4 expired by"
          + " the driver."
    })
final class ExecutorCommand implements Callable<Integer> {
  @Option(
      names = "--driver",
      required = true,
      paramLabel = "URL",
      description = "The driver's URL, spark://driver@host:port, as the driver printed it.")
  String driverUrl;

  @Option(
      names = "--id",
      paramLabel = "ID",
      description = "Executor id (default: <host>-<pid>); unique per driver.")
  String id;

  @Option(
      names = "--host",
      paramLabel = "H",
      description = "Host to report to the driver (default: this host's name).")
  String host;

  @CommandLine.Mixin ConfOptions confOptions;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try {
      RpcEndpointAddress.parse(driverUrl);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--driver: " + e.getMessage());
    }
    RpcConf settings = confOptions.settings();
    if (host != null) {
      settings.set(RuntimeConfigKeys.EXECUTOR_HOST.key(), host);
    }
    String executorId =
        id != null
            ? id
            : (host != null ? host : InetAddress.getLocalHost().getHostName())
                + "-"
                + ProcessHandle.current().pid();
    Cli.prepareOutput("executor " + executorId, "info");
    AtomicBoolean reported = new AtomicBoolean();
    Cli.Starting<Executor> starting = new Cli.Starting<>();
    // Registered before the start, so that a SIGTERM at any moment gets the orderly stop.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  Executor e = starting.await();
                  if (e == null) {
                    return; // the start failed: the process ends with the start's own code
                  }
                  e.stop(ExitCode.STOPPED, "this process is being terminated");
                  ExitCode code = e.exit().join();
                  report(executorId, code, reported);
                  // An orderly stop was asked for and done: exit with its code, not 128 + signal.
                  Cli.halt(code.code());
                },
                "rpcenv-executor-shutdown-hook"));
    Executor executor = starting.run(() -> Executor.start(settings, driverUrl, executorId));
    ExitCode code = executor.exit().join();
    report(executorId, code, reported);
    return code.code();
  }

  /** Prints the exit line once; synchronized so that the hook halts only after the line is out. */
  private static synchronized void report(
      String executorId, ExitCode code, AtomicBoolean reported) {
    if (reported.compareAndSet(false, true)) {
      System.err.println(
          "executor " + executorId + " exits with " + code.code() + " (" + code.meaning() + ")");
    }
  }
}
