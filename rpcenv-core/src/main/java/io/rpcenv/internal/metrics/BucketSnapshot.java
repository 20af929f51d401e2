package io.rpcenv.internal.metrics;

import com.codahale.metrics.Snapshot;
import io.rpcenv.BucketCounts;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The state of a {@link LogBuckets} at one moment. A quantile is the middle of the bucket that
 * holds it (capped at the maximum seen); {@link #getValues()} gives each non-empty bucket's middle
 * once, not every value counted.
 */
public final class BucketSnapshot extends Snapshot implements BucketCounts {
  private final long[] counts;
  private final long total;
  private final long sum;
  private final long max;

  BucketSnapshot(long[] counts, long sum, long max) {
    this.counts = counts;
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    this.total = n;
    this.sum = sum;
    this.max = max;
  }

  @Override
  public long count() {
    return total;
  }

  @Override
  public long sum() {
    return sum;
  }

  @Override
  public long countBelow(long bound) {
    long n = 0;
    for (int i = 0; i < counts.length && LogBuckets.upperBound(i) <= bound; i++) {
      n += counts[i];
    }
    return n;
  }

  private long middle(int i) {
    long lo = LogBuckets.lowerBound(i);
    long hi = LogBuckets.upperBound(i) - 1;
    return Math.min(max, lo + (hi - lo) / 2);
  }

  @Override
  public double getValue(double quantile) {
    if (quantile < 0 || quantile > 1 || Double.isNaN(quantile)) {
      throw new IllegalArgumentException(quantile + " is not in [0..1]");
    }
    if (total == 0) {
      return 0;
    }
    // The value at rank ceil(q * n), counted from 1.
    long rank = Math.max(1, (long) Math.ceil(quantile * total));
    if (rank >= total) {
      return max;
    }
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return middle(i);
      }
    }
    return max;
  }

  @Override
  public long[] getValues() {
    int n = 0;
    for (long c : counts) {
      if (c > 0) {
        n++;
      }
    }
    long[] out = new long[n];
    int k = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        out[k++] = middle(i);
      }
    }
    return out;
  }

  @Override
  public int size() {
    return (int) Math.min(Integer.MAX_VALUE, total);
  }

  @Override
  public long getMax() {
    return max;
  }

  @Override
  public double getMean() {
    return total == 0 ? 0 : (double) sum / total;
  }

  @Override
  public long getMin() {
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        return LogBuckets.lowerBound(i);
      }
    }
    return 0;
  }

  @Override
  public double getStdDev() {
    if (total < 2) {
      return 0;
    }
    double mean = getMean();
    double squares = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        double d = middle(i) - mean;
        squares += d * d * counts[i];
      }
    }
    return Math.sqrt(squares / (total - 1));
  }

  @Override
  public void dump(OutputStream output) {
    PrintWriter out =
        new PrintWriter(new java.io.OutputStreamWriter(output, StandardCharsets.UTF_8));
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        out.printf(
            "%d..%d %d%n", LogBuckets.lowerBound(i), LogBuckets.upperBound(i) - 1, counts[i]);
      }
    }
    out.flush();
  }
}
