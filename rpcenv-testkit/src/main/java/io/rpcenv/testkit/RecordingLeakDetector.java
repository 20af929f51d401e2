package io.rpcenv.testkit;

import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;

/**
 * A Netty leak detector that, besides logging, records every leak report so that a test can fail on
 * it. Installed for every test JVM with {@code
 * -Dio.netty.customResourceLeakDetector=io.rpcenv.testkit.RecordingLeakDetector}.
 *
 * @param <T> the tracked resource type
 */
public class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {
  private static final List<String> REPORTS = new ArrayList<>();

  /** The constructor Netty's factory calls. */
  public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
    super(resourceType, samplingInterval);
  }

  /** The constructor Netty's factory looks for first (it logs an error when it is missing). */
  public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
    this(resourceType, samplingInterval);
  }

  @Override
  protected void reportTracedLeak(String resourceType, String records) {
    super.reportTracedLeak(resourceType, records);
    record(
        "LEAK: "
            + resourceType
            + ".release() was not called before it was garbage-collected."
            + records);
  }

  @Override
  protected void reportUntracedLeak(String resourceType) {
    super.reportUntracedLeak(resourceType);
    record("LEAK: " + resourceType + ".release() was not called before it was garbage-collected.");
  }

  private static void record(String report) {
    synchronized (REPORTS) {
      REPORTS.add(report);
    }
  }

  /** Every report since the last call, removed. */
  public static List<String> drainReports() {
    synchronized (REPORTS) {
      List<String> copy = new ArrayList<>(REPORTS);
      REPORTS.clear();
      return copy;
    }
  }

  /** Whether this JVM was started with this detector installed. */
  public static boolean installed() {
    return RecordingLeakDetector.class
        .getName()
        .equals(System.getProperty("io.netty.customResourceLeakDetector"));
  }
}
