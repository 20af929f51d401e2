package io.rpcenv.spark.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A SPARK_HOME made of Maven Central jars alone: a {@code jars/} folder linking the test class
 * path's jars, which is all Spark's workers need to build an executor's class path. Executors write
 * their output under {@code work/}.
 */
final class SparkHome {
  private final Path home;

  private SparkHome(Path home) {
    this.home = home;
  }

  /**
   * Makes (afresh) the SPARK_HOME at {@code home}, linking every jar of the test class path that
   * {@code keep} accepts.
   */
  static SparkHome create(Path home, Predicate<Path> keep) {
    try {
      if (Files.exists(home)) {
        try (Stream<Path> all = Files.walk(home)) {
          all.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
      }
      Path jars = Files.createDirectories(home.resolve("jars"));
      for (Path entry : testClassPath()) {
        if (entry.toString().endsWith(".jar") && keep.test(entry)) {
          Path link = jars.resolve(entry.getFileName());
          if (!Files.exists(link)) {
            Files.createSymbolicLink(link, entry.toAbsolutePath());
          }
        }
      }
      return new SparkHome(home);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The test's class path, as Maven's test runner gives it. */
  static List<Path> testClassPath() {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<Path> out = new ArrayList<>();
    for (String e : cp.split(File.pathSeparator, -1)) {
      if (!e.isBlank()) {
        out.add(Path.of(e));
      }
    }
    return out;
  }

  /** The entry of the test class path whose file name matches {@code regex}. */
  static Path classPathEntry(String regex) {
    return testClassPath().stream()
        .filter(p -> p.getFileName().toString().matches(regex))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + regex + " on the test class path"));
  }

  Path path() {
    return home;
  }

  /** {@code home/jars/*}, the class path of Spark's own processes. */
  String classPath() {
    return home.resolve("jars") + File.separator + "*";
  }

  /** The text of every executor's stdout and stderr so far, file by file. */
  List<String> executorLogs() {
    return executorLogs(home.resolve("work"));
  }

  /** The same, for the executors of application {@code appId} alone. */
  List<String> executorLogs(String appId) {
    return executorLogs(home.resolve("work").resolve(appId));
  }

  private static List<String> executorLogs(Path work) {
    if (!Files.isDirectory(work)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(work)) {
      List<String> out = new ArrayList<>();
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (Files.isRegularFile(f) && (name.equals("stdout") || name.equals("stderr"))) {
          out.add(f + ":\n" + Files.readString(f, StandardCharsets.UTF_8));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JDK options this JVM was started with for Spark (--add-opens and the like). */
  static List<String> sparkJvmOptions() {
    List<String> out = new ArrayList<>();
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens")
          || a.startsWith("-Djdk.reflect")
          || a.startsWith("-Dio.netty.")
          || a.startsWith("-Dio.rpcenv.shaded.io.netty.leakDetection")) {
        out.add(a);
      }
    }
    return out;
  }
}
