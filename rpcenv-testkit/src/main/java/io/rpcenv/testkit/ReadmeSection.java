package io.rpcenv.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps generated parts of the README true: the text between {@code <!-- NAME:begin -->} and
 * {@code <!-- NAME:end -->} must equal what the code generates. Run the tests with
 * {@code -Drpcenv.updateReadme=true} to rewrite the sections instead of failing.
 */
public final class ReadmeSection {
  private ReadmeSection() {}

  /** Fails, showing the text to paste, unless the README's section {@code name} is {@code expected}. */
  public static void assertMatches(String name, String expected) throws IOException {
    Path readme = Path.of("..", "README.md");
    String text = Files.readString(readme);
    String begin = "<!-- " + name + ":begin -->\n";
    String end = "<!-- " + name + ":end -->";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new AssertionError("README.md has no section " + begin.trim() + " ... " + end);
    }
    String actual = text.substring(from + begin.length(), to);
    if (!actual.equals(expected) && Boolean.getBoolean("rpcenv.updateReadme")) {
      Files.writeString(readme, text.substring(0, from + begin.length()) + expected + text.substring(to));
      return;
    }
    if (!actual.equals(expected)) {
      throw new AssertionError("README.md section '" + name + "' is out of date (regenerate it with mvn test "
          + "-Drpcenv.updateReadme=true); it should be:\n" + expected);
    }
  }

  /**
   * Replaces the text between {@code <!-- NAME:begin -->} and {@code <!-- NAME:end -->} in
   * {@code file} (a document with generated figures, such as {@code docs/RELIABILITY.md}).
   */
  public static void replace(Path file, String name, String text) throws IOException {
    String doc = Files.readString(file);
    String begin = "<!-- " + name + ":begin -->\n";
    String end = "<!-- " + name + ":end -->";
    int from = doc.indexOf(begin);
    int to = doc.indexOf(end);
    if (from < 0 || to < from) {
      throw new IOException(file + " has no section " + begin.trim() + " ... " + end);
    }
    Files.writeString(file, doc.substring(0, from + begin.length()) + text + doc.substring(to));
  }
}
