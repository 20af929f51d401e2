package io.rpcenv.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A JVM started by a test, on the test's class path and with its leak-detection settings. Its
 * output (stdout and stderr together) is collected line by line; tests wait for lines with {@link
 * #awaitLine}, never by sleeping. {@link #close()} kills it if it is still running.
 */
@SuppressWarnings("try") // close() waits for the process, and may be interrupted
public final class ChildJvm implements AutoCloseable {
  private final String name;
  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final Thread reader;

  private ChildJvm(String name, Process process) {
    this.name = name;
    this.process = process;
    this.reader = new Thread(this::readOutput, "child-jvm-" + name);
    this.reader.setDaemon(true);
    this.reader.start();
  }

  /** Starts {@code mainClass} with {@code args}; {@code env} adds environment variables. */
  public static ChildJvm start(
      String name, Class<?> mainClass, Map<String, String> env, String... args) throws IOException {
    return start(name, mainClass, List.of(), env, args);
  }

  /**
   * As {@link #start(String, Class, Map, String...)}, with extra JVM options such as {@code
   * -Dkey=value}.
   */
  public static ChildJvm start(
      String name,
      Class<?> mainClass,
      List<String> jvmOptions,
      Map<String, String> env,
      String... args)
      throws IOException {
    return startWithPrefix(name, List.of(), mainClass, jvmOptions, env, args);
  }

  /**
   * As {@link #start(String, Class, List, Map, String...)}, run through {@code prefix}, a command
   * that runs the rest, such as {@code ip netns exec NAME} (see {@link NetNamespace#execPrefix()}).
   */
  public static ChildJvm startWithPrefix(
      String name,
      List<String> prefix,
      Class<?> mainClass,
      List<String> jvmOptions,
      Map<String, String> env,
      String... args)
      throws IOException {
    return launch(
        name,
        null,
        prefix,
        System.getProperty("java.class.path"),
        mainClass.getName(),
        jvmOptions,
        env,
        args);
  }

  /**
   * Starts {@code mainClass} on {@code classPath} instead of the test's own, for programs that must
   * not see the test's classes (a Spark master, say); otherwise as {@link #start(String, Class,
   * List, Map, String...)}.
   */
  public static ChildJvm startOnClassPath(
      String name,
      String classPath,
      String mainClass,
      List<String> jvmOptions,
      Map<String, String> env,
      String... args)
      throws IOException {
    return launch(name, null, List.of(), classPath, mainClass, jvmOptions, env, args);
  }

  /**
   * As {@link #startOnClassPath}, with {@code workingDir} as the process's working directory (a
   * program that must not find anything relative to the test's).
   */
  public static ChildJvm startOnClassPathIn(
      String name,
      Path workingDir,
      String classPath,
      String mainClass,
      List<String> jvmOptions,
      Map<String, String> env,
      String... args)
      throws IOException {
    return launch(name, workingDir, List.of(), classPath, mainClass, jvmOptions, env, args);
  }

  /**
   * Runs {@code command}, a launcher script that ends by exec-ing a JVM (such as {@code
   * spark-submit}), with {@code env} added: the script's JVM is then the process this waits for and
   * stops. Its JVM options are the script's business.
   */
  public static ChildJvm startScript(String name, List<String> command, Map<String, String> env)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    return new ChildJvm(name, pb.start());
  }

  private static ChildJvm launch(
      String name,
      Path workingDir,
      List<String> prefix,
      String classPath,
      String mainClass,
      List<String> jvmOptions,
      Map<String, String> env,
      String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:TieredStopAtLevel=1");
    for (String p :
        List.of("io.netty.leakDetection.level", "io.netty.customResourceLeakDetector")) {
      String v = System.getProperty(p);
      if (v != null) {
        cmd.add("-D" + p + "=" + v);
      }
    }
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (workingDir != null) {
      pb.directory(workingDir.toFile());
    }
    pb.environment().putAll(env);
    return new ChildJvm(name, pb.start());
  }

  private void readOutput() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
        System.out.println("[" + name + "] " + line);
      }
    } catch (IOException e) {
      // the process ended
    } finally {
      synchronized (lines) {
        lines.notifyAll();
      }
    }
  }

  /**
   * Waits until a line matching {@code match} has been printed and returns it. Fails with the
   * output so far if the process ends first or {@code timeout} passes.
   */
  public String awaitLine(Predicate<String> match, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    synchronized (lines) {
      for (; ; ) {
        for (; seen < lines.size(); seen++) {
          if (match.test(lines.get(seen))) {
            return lines.get(seen);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || (!reader.isAlive() && seen == lines.size())) {
          throw new AssertionError(
              "Child JVM '"
                  + name
                  + "' "
                  + (process.isAlive()
                      ? "did not print"
                      : "ended (" + exitCodeOrNone() + ") without printing")
                  + " the expected line within "
                  + timeout
                  + "; its output:\n"
                  + String.join("\n", lines));
        }
        TimeUnit.NANOSECONDS.timedWait(lines, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
      }
    }
  }

  private String exitCodeOrNone() {
    return process.isAlive() ? "running" : "exit code " + process.exitValue();
  }

  /** Everything printed so far. */
  public List<String> lines() {
    synchronized (lines) {
      return new ArrayList<>(lines);
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * SIGTERM: the process's shutdown hooks run. Does not wait. Signals through the process handle:
   * {@code Process.destroy()} would also close our end of its output, losing what it prints while
   * it shuts down.
   */
  public void terminate() {
    process.toHandle().destroy();
  }

  /** SIGKILL, and wait for the process to be gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** Waits for the process to end; returns its exit code. Fails with its output on timeout. */
  public int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(
          "Child JVM '"
              + name
              + "' still running after "
              + timeout
              + "; its output:\n"
              + String.join("\n", lines()));
    }
    reader.join(TimeUnit.SECONDS.toMillis(10));
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
