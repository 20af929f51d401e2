package io.rpcenv.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EnvMetricsTest {
  @Test
  void askSeriesStopGrowingAtTheirCapAndTheRestShareOneSeries() {
    EnvMetrics m = new EnvMetrics();
    for (int i = 0; i < EnvMetrics.MAX_ASK_SERIES + 50; i++) {
      m.asks("10.0.0.1:" + (10_000 + i), "plugins")
          .ended(System.nanoTime(), AskMetrics.Outcome.ANSWERED);
    }
    long series =
        m.registry().getNames().stream().filter(n -> n.startsWith("rpcenv_ask_seconds{")).count();
    assertThat(series).isEqualTo(EnvMetrics.MAX_ASK_SERIES + 1);
    assertThat(
            m.registry()
                .getCounters()
                .get("rpcenv_asks_total{endpoint=\"_other\",peer=\"_other\",outcome=\"answered\"}")
                .getCount())
        .isEqualTo(50);
    assertThat(m.asks("10.0.0.1:10000", "plugins")).isSameAs(m.asks("10.0.0.1:10000", "plugins"));
  }
}
