package io.rpcenv;

import io.rpcenv.testkit.ReadmeSection;
import org.junit.jupiter.api.Test;

/** The README's table of metrics is the one generated from the families the env registers. */
class MetricsTableTest {
  @Test
  void readmeTableMatchesTheDeclaredFamilies() throws Exception {
    ReadmeSection.assertMatches("metrics-table", RpcMetricFamily.markdownTable());
  }
}
