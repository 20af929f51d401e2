package io.rpcenv.runtime;

import io.rpcenv.RpcConfigKeys;
import io.rpcenv.testkit.ReadmeSection;
import org.junit.jupiter.api.Test;

/** The README's runtime settings table is the one generated from {@link RuntimeConfigKeys}. */
class RuntimeConfigTableTest {
  @Test
  void readmeTableMatchesTheDeclaredKeys() throws Exception {
    ReadmeSection.assertMatches(
        "config-table:runtime", RpcConfigKeys.markdownTable(RuntimeConfigKeys.all()));
  }
}
