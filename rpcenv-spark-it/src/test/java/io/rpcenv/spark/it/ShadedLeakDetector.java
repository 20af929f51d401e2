package io.rpcenv.spark.it;

import io.rpcenv.shaded.io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;

/**
 * Netty's leak detector as the rpcenv-spark jar carries it (relocated), recording every report so
 * that a test fails on it. Installed in the test JVM (the driver) with {@code
 * -Dio.rpcenv.shaded.io.netty.customResourceLeakDetector}; executors log theirs as "LEAK:" lines,
 * which the tests look for in the executors' logs.
 *
 * @param <T> the tracked resource type
 */
public final class ShadedLeakDetector<T> extends ResourceLeakDetector<T> {
  private static final List<String> REPORTS = new ArrayList<>();

  /** The constructor Netty's factory calls. */
  public ShadedLeakDetector(Class<?> resourceType, int samplingInterval) {
    super(resourceType, samplingInterval);
  }

  @Override
  protected void reportTracedLeak(String resourceType, String records) {
    super.reportTracedLeak(resourceType, records);
    record("LEAK: " + resourceType + records);
  }

  @Override
  protected void reportUntracedLeak(String resourceType) {
    super.reportUntracedLeak(resourceType);
    record("LEAK: " + resourceType);
  }

  private static void record(String report) {
    synchronized (REPORTS) {
      REPORTS.add(report);
    }
  }

  /** Every report so far. */
  static List<String> reports() {
    synchronized (REPORTS) {
      return new ArrayList<>(REPORTS);
    }
  }
}
