package io.rpcenv.runtime;

import io.rpcenv.ConfigKey;
import io.rpcenv.testkit.ReadmeSection;
import org.junit.jupiter.api.Test;

/** The README's runtime settings table is the one generated from {@link RuntimeConfigKeys}. */
class RuntimeConfigTableTest {
  @Test
  void readmeTableMatchesTheDeclaredKeys() throws Exception {
    ReadmeSection.assertMatches(
        "config-table:runtime", ConfigKey.markdownTable(RuntimeConfigKeys.all()));
  }
}
