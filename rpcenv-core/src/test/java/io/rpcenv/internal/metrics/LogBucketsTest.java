package io.rpcenv.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LogBucketsTest {
  @Test
  void bucketsTileEveryNonNegativeLongWithoutGapsOrOverlaps() {
    assertThat(LogBuckets.lowerBound(0)).isZero();
    for (int i = 0; i + 1 < LogBuckets.BUCKETS; i++) {
      assertThat(LogBuckets.upperBound(i))
          .as("bucket %d", i)
          .isEqualTo(LogBuckets.lowerBound(i + 1));
      assertThat(LogBuckets.index(LogBuckets.lowerBound(i))).isEqualTo(i);
      assertThat(LogBuckets.index(LogBuckets.upperBound(i) - 1)).isEqualTo(i);
    }
    assertThat(LogBuckets.index(Long.MAX_VALUE)).isEqualTo(LogBuckets.BUCKETS - 1);
    assertThat(LogBuckets.index(-5)).isZero();
  }

  @Test
  void quantilesAreWithinOneEighthOfTheTrueValue() {
    LogBuckets b = new LogBuckets();
    Random r = new Random(42);
    long[] values = new long[10_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = 1_000 + (long) (r.nextDouble() * r.nextDouble() * 50_000_000);
      b.update(values[i]);
    }
    java.util.Arrays.sort(values);
    BucketSnapshot s = b.getSnapshot();
    for (double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
      double truth = values[(int) Math.ceil(q * values.length) - 1];
      assertThat(s.getValue(q)).as("p%s", q * 100).isCloseTo(truth, within(truth / 8));
    }
    assertThat(s.getMax()).isEqualTo(values[values.length - 1]);
    assertThat(s.count()).isEqualTo(values.length);
    assertThat(s.sum()).isEqualTo(java.util.Arrays.stream(values).sum());
  }

  @Test
  void countBelowAPowerOfTwoIsExact() {
    LogBuckets b = new LogBuckets();
    b.update(1023);
    b.update(1024);
    b.update(1025);
    b.update(5_000_000);
    BucketSnapshot s = b.getSnapshot();
    assertThat(s.countBelow(1024)).isEqualTo(1);
    assertThat(s.countBelow(2048)).isEqualTo(3);
    assertThat(s.countBelow(1L << 35)).isEqualTo(4);
    assertThat(s.getValue(1.0)).isEqualTo(5_000_000);
  }

  @Test
  void anEmptyHistogramReadsZero() {
    BucketSnapshot s = new LogBuckets().getSnapshot();
    assertThat(s.getValue(0.99)).isZero();
    assertThat(s.getMax()).isZero();
    assertThat(s.getMean()).isZero();
    assertThat(s.getValues()).isEmpty();
  }
}
