package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration table is the one generated from {@link RpcConfigKeys}. */
class ConfigTableTest {
  static final String BEGIN = "<!-- config-table:core:begin -->\n";
  static final String END = "<!-- config-table:core:end -->";

  @Test
  void readmeTableMatchesTheDeclaredKeys() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int from = readme.indexOf(BEGIN);
    int to = readme.indexOf(END);
    assertThat(from).as("README.md must contain %s", BEGIN.trim()).isNotNegative();
    String actual = readme.substring(from + BEGIN.length(), to);
    String expected = RpcConfigKeys.markdownTable(RpcConfigKeys.all());
    assertThat(actual).as("README.md configuration table is out of date; replace it with:%n%s", expected)
        .isEqualTo(expected);
  }

  @Test
  void everyKeyHasADescriptionAndASparkStyleName() {
    for (ConfigKey<?> k : RpcConfigKeys.all()) {
      assertThat(k.key()).startsWith("spark.");
      assertThat(k.doc()).isNotBlank().endsWith(".");
    }
  }
}
