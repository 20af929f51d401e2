package io.rpcenv;

/**
 * A histogram's snapshot that counts its values in buckets split at powers of two, so it can say
 * exactly how many fell below each: rpcenv's duration histograms ({@code *_seconds} in {@link
 * RpcEnv#metrics()}) have such snapshots, and {@link PrometheusText} writes them as Prometheus
 * histograms rather than summaries.
 */
public interface BucketCounts {
  /** How many values were counted. */
  long count();

  /** Their sum. */
  long sum();

  /** How many were below {@code bound}; exact when {@code bound} is a power of two. */
  long countBelow(long bound);
}
