package io.rpcenv.runtime.cli;

import io.rpcenv.RpcConf;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The {@code --conf} and {@code --conf-file} options that the driver and executor commands share.
 */
final class ConfOptions {
  @Option(
      names = "--conf",
      paramLabel = "KEY=VALUE",
      description = "A setting; repeatable (an executor's own settings apply over the driver's).")
  Map<String, String> conf;

  @Option(
      names = "--conf-file",
      paramLabel = "FILE",
      description =
          "Settings in Java properties form (keeps secrets and passwords off the command line).")
  Path confFile;

  /**
   * The settings these options give, over those inherited from a parent driver (see {@link
   * Cli#conf}).
   */
  RpcConf settings() {
    return Cli.conf(confFile, conf);
  }
}
