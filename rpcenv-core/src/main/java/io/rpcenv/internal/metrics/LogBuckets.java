package io.rpcenv.internal.metrics;

import com.codahale.metrics.Reservoir;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A histogram's store for non-negative values (durations in nanoseconds here): every value since
 * the start, counted in log-linear buckets, 8 per power of two, so a quantile is within 12.5 % of
 * the true value, and values below 8 are exact. An update is one atomic increment of its bucket, a
 * {@link LongAdder} add for the sum and, rarely, a CAS for the maximum: no lock, no allocation, no
 * clock read. Dropwizard's own reservoirs lock, allocate or read the clock per update.
 */
public final class LogBuckets implements Reservoir {
  static final int SUB_BITS = 3;
  static final int SUB = 1 << SUB_BITS;

  /** Enough buckets for every non-negative long. */
  static final int BUCKETS = (62 - SUB_BITS + 1) * SUB + SUB;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
  private final LongAdder sum = new LongAdder();
  private final AtomicLong max = new AtomicLong();

  /** The bucket {@code value} is counted in. */
  static int index(long value) {
    if (value < SUB) {
      return (int) Math.max(0, value);
    }
    int exp = 63 - Long.numberOfLeadingZeros(value);
    int mantissa = (int) (value >>> (exp - SUB_BITS)) & (SUB - 1);
    return (exp - SUB_BITS + 1) * SUB + mantissa;
  }

  /** The smallest value counted in bucket {@code i}. */
  static long lowerBound(int i) {
    if (i < SUB) {
      return i;
    }
    int shift = i / SUB - 1;
    return (long) (SUB + i % SUB) << shift;
  }

  /** One more than the largest value counted in bucket {@code i} (saturating). */
  static long upperBound(int i) {
    return i + 1 >= BUCKETS ? Long.MAX_VALUE : lowerBound(i + 1);
  }

  @Override
  public void update(long value) {
    long v = Math.max(0, value);
    counts.getAndIncrement(index(v));
    sum.add(v);
    if (v > max.get()) { // rare: only a new maximum writes
      max.accumulateAndGet(v, Math::max);
    }
  }

  @Override
  public int size() {
    long n = 0;
    for (int i = 0; i < BUCKETS; i++) {
      n += counts.get(i);
    }
    return (int) Math.min(Integer.MAX_VALUE, n);
  }

  /** The counts, bucket by bucket, sum and maximum as they are now. */
  @Override
  public BucketSnapshot getSnapshot() {
    long[] copy = new long[BUCKETS];
    for (int i = 0; i < BUCKETS; i++) {
      copy[i] = counts.get(i);
    }
    return new BucketSnapshot(copy, sum.sum(), max.get());
  }
}
