package io.rpcenv.runtime.cli;

import io.rpcenv.RpcConf;
import io.rpcenv.runtime.LocalExecutors;
import java.util.Map;

/** What the commands share: logging defaults, labels, settings. */
final class Cli {
  private Cli() {}

  /**
   * Labels this process's output and sets SLF4J simple-logger defaults, unless the user set them.
   * Must run before anything logs.
   */
  static void prepareOutput(String label, String defaultLogLevel) {
    System.setProperty("rpcenv.label", "true");
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", defaultLogLevel);
    setIfAbsent("org.slf4j.simpleLogger.log.io.netty", "warn");
    setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
    setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
    LabeledOutput.install("[" + label + " pid " + ProcessHandle.current().pid() + "] ");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /** Settings from the {@value LocalExecutors#CONF_ENV} environment variable, then {@code --conf}, then flags. */
  static RpcConf conf(Map<String, String> fromCommandLine) {
    RpcConf conf = new RpcConf();
    String inherited = System.getenv(LocalExecutors.CONF_ENV);
    if (inherited != null) {
      conf.setAll(io.rpcenv.runtime.internal.Settings.decode(inherited));
    }
    if (fromCommandLine != null) {
      conf.setAll(fromCommandLine);
    }
    return conf;
  }

  /** One sentence for a failure: its message, and its cause's when that adds something. */
  static String sentence(Throwable e) {
    String m = e.getMessage() != null ? e.getMessage() : e.toString();
    Throwable c = e.getCause();
    if (c != null && c.getMessage() != null && !m.contains(c.getMessage())) {
      m += " (" + c.getMessage() + ")";
    }
    return m;
  }
}
