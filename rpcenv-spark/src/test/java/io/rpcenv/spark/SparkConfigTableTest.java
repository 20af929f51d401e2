package io.rpcenv.spark;

import io.rpcenv.ConfigKey;
import io.rpcenv.testkit.ReadmeSection;
import org.junit.jupiter.api.Test;

/** The README's Spark adapter settings table is the one generated from {@link SparkConfigKeys}. */
class SparkConfigTableTest {
  @Test
  void readmeTableMatchesTheDeclaredKeys() throws Exception {
    ReadmeSection.assertMatches(
        "config-table:spark", ConfigKey.markdownTable(SparkConfigKeys.all()));
  }
}
