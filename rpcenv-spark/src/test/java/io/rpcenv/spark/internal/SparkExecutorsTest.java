package io.rpcenv.spark.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SparkExecutorsTest {
  @Test
  void aSecondJoinUnderALiveExecutorsIdIsRefusedAndChangesNothing() {
    SparkExecutors executors = new SparkExecutors();
    assertThat(executors.joined(new ExecutorJoined("1", "host-a", null), null)).isNull();
    assertThat(executors.joined(new ExecutorJoined("1", "intruder", null), null))
        .isEqualTo("an executor part already joined as executor 1");
  }

  @Test
  void anExecutorNotYetReportedBySparkIsNotListed() {
    SparkExecutors executors = new SparkExecutors();
    executors.joined(new ExecutorJoined("1", "host-a", null), null);
    assertThat(executors.executors()).isEmpty();
    assertThat(executors.pluginEndpoint("1")).isNull();
  }
}
