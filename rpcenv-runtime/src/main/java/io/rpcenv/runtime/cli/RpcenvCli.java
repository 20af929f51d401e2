package io.rpcenv.runtime.cli;

import io.rpcenv.runtime.ExitCode;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code rpcenv} command: {@code driver}, {@code executor} and {@code demo}. Bad arguments
 * print one line and exit with 2; a failure to start prints one line and exits with 1.
 */
@Command(
    name = "rpcenv",
    mixinStandardHelpOptions = true,
    version = "rpcenv 0.1.0",
    description = "Run a driver and executors that host rpcenv plugins.",
    subcommands = {
      DriverCommand.class,
      ExecutorCommand.class,
      DemoCommand.class,
      TlsKeygenCommand.class
    })
public final class RpcenvCli implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new RpcenvCli());
    cli.setParameterExceptionHandler(
        (e, a) -> {
          System.err.println(
              e.getCommandLine().getCommandSpec().qualifiedName()
                  + ": "
                  + e.getMessage()
                  + " (see '"
                  + e.getCommandLine().getCommandSpec().qualifiedName()
                  + " --help')");
          return ExitCode.BAD_ARGUMENTS.code();
        });
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          System.err.println(cmd.getCommandSpec().qualifiedName() + ": " + Cli.sentence(e));
          return ExitCode.START_FAILED.code();
        });
    return cli.execute(args);
  }

  @Override
  public Integer call() {
    System.err.println(
        "rpcenv: a command is required: driver, executor or demo (see 'rpcenv --help')");
    return ExitCode.BAD_ARGUMENTS.code();
  }
}
