package io.rpcenv.plugin;

import io.rpcenv.ConfigKey;
import io.rpcenv.testkit.ReadmeSection;
import org.junit.jupiter.api.Test;

/** The README's plugin settings table is the one generated from {@link PluginConfigKeys}. */
class PluginConfigTableTest {
  @Test
  void readmeTableMatchesTheDeclaredKeys() throws Exception {
    ReadmeSection.assertMatches(
        "config-table:plugin", ConfigKey.markdownTable(PluginConfigKeys.all()));
  }
}
