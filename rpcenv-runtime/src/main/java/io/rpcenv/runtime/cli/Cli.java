package io.rpcenv.runtime.cli;

import io.rpcenv.RpcConf;
import io.rpcenv.runtime.LocalExecutors;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

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

  /**
   * Settings from the {@value LocalExecutors#CONF_ENV} environment variable, then {@code
   * --conf-file}, then {@code --conf} (later ones win).
   */
  /**
   * A start that a shutdown hook, registered before it, waits for: the hook gets what was started,
   * or null if the start failed (the process then ends with the start's own code).
   */
  static final class Starting<T> {
    private final CountDownLatch over = new CountDownLatch(1);
    private volatile T started;

    /** Runs {@code start}; whatever it does, a waiting hook is released. */
    T run(Supplier<T> start) {
      try {
        T t = start.get();
        started = t;
        return t;
      } finally {
        over.countDown();
      }
    }

    /** What was started, once the start is over; null if it failed. */
    T await() {
      try {
        over.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return started;
    }
  }

  /**
   * Ends the process with {@code code} from a shutdown hook, once its orderly stop is done and its
   * last lines are out. (Calling {@code System.exit} there would wait forever for the hook itself.)
   */
  static void halt(int code) {
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(code);
  }

  static RpcConf conf(Path confFile, Map<String, String> fromCommandLine) {
    RpcConf conf = new RpcConf();
    String inherited = System.getenv(LocalExecutors.CONF_ENV);
    if (inherited != null) {
      conf.setAll(io.rpcenv.runtime.internal.Settings.decode(inherited));
    }
    if (confFile != null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(confFile, StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "Cannot read --conf-file " + confFile + ": " + e.getMessage(), e);
      }
      p.stringPropertyNames().forEach(k -> conf.set(k, p.getProperty(k).trim()));
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
