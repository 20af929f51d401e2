package io.rpcenv.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps generated parts of the README true: the text between {@code <!-- NAME:begin -->} and {@code
 * <!-- NAME:end -->} must equal what the code generates. Run the tests with {@code
 * -Drpcenv.updateReadme=true} to rewrite the sections instead of failing.
 */
public final class ReadmeSection {
  private ReadmeSection() {}

  /**
   * Fails, showing the text to paste, unless the README's section {@code name} is {@code expected}.
   */
  public static void assertMatches(String name, String expected) throws IOException {
    Path readme = Path.of("..", "README.md");
    String text = Files.readString(readme);
    int[] at = bounds(readme, text, name);
    String actual = text.substring(at[0], at[1]);
    if (!actual.equals(expected) && Boolean.getBoolean("rpcenv.updateReadme")) {
      Files.writeString(readme, text.substring(0, at[0]) + expected + text.substring(at[1]));
      return;
    }
    if (!actual.equals(expected)) {
      throw new AssertionError(
          "README.md section '"
              + name
              + "' is out of date (regenerate it with mvn test "
              + "-Drpcenv.updateReadme=true); it should be:\n"
              + expected);
    }
  }

  /**
   * Replaces the text between {@code <!-- NAME:begin -->} and {@code <!-- NAME:end -->} in {@code
   * file} (a document with generated figures, such as {@code docs/RELIABILITY.md}).
   */
  public static void replace(Path file, String name, String text) throws IOException {
    String doc = Files.readString(file);
    int[] at = bounds(file, doc, name);
    Files.writeString(file, doc.substring(0, at[0]) + text + doc.substring(at[1]));
  }

  /**
   * Where the section's text starts and ends in {@code text}; fails naming the markers if absent.
   */
  private static int[] bounds(Path file, String text, String name) {
    String begin = "<!-- " + name + ":begin -->\n";
    String end = "<!-- " + name + ":end -->";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new AssertionError(
          file.getFileName() + " has no section " + begin.trim() + " ... " + end);
    }
    return new int[] {from + begin.length(), to};
  }
}
