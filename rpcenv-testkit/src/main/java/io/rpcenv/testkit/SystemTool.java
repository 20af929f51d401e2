package io.rpcenv.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program of the machine a test runs (promtool, chromium). {@code mvn verify} installs the ones
 * it can (build/test-tools.sh); a test that needs one that is missing fails, naming the package,
 * and never skips.
 */
public final class SystemTool {
  private SystemTool() {}

  /** What a tool printed and how it exited. */
  public record Result(int exitCode, String output) {}

  /**
   * The path of {@code command} on PATH; fails the test, naming {@code debianPackage}, if absent.
   */
  public static Path require(String command, String debianPackage) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator, -1)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, command);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new AssertionError(
        command
            + " is not installed; mvn verify installs it (build/test-tools.sh) when it can, or run"
            + " apt-get install --no-install-recommends "
            + debianPackage);
  }

  /** Runs {@code command} with {@code stdin} as its input; fails after 60 s. */
  public static Result run(List<String> command, String stdin)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    try {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError(command + " still running after 60 s");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } finally {
      p.destroyForcibly();
    }
  }
}
