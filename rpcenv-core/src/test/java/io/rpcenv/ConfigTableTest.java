package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;

import io.rpcenv.testkit.ReadmeSection;
import org.junit.jupiter.api.Test;

/** The README's configuration table is the one generated from {@link RpcConfigKeys}. */
class ConfigTableTest {
  @Test
  void readmeTableMatchesTheDeclaredKeys() throws Exception {
    ReadmeSection.assertMatches("config-table:core", ConfigKey.markdownTable(RpcConfigKeys.all()));
  }

  @Test
  void everyKeyHasADescriptionAndASparkStyleName() {
    for (ConfigKey<?> k : RpcConfigKeys.all()) {
      assertThat(k.key()).startsWith("spark.");
      assertThat(k.doc()).isNotBlank().endsWith(".");
    }
  }
}
