package io.rpcenv.testkit;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * The heap a JVM holds after full collections, for tests and benchmarks that compare memory over
 * time. It reads what the collector itself reports about each heap pool after its last collection,
 * so nothing waits on a timer for the collection to settle.
 */
public final class HeapAfterGc {
  private HeapAfterGc() {}

  /**
   * Runs {@code collections} full collections and returns the smallest heap in use after one of
   * them (a later collection can free what an earlier one only queued for cleaning).
   */
  public static long measure(int collections) {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < collections; i++) {
      System.gc();
      best = Math.min(best, usedAfterLastCollection());
    }
    return best;
  }

  private static long usedAfterLastCollection() {
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage afterGc = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
      if (afterGc != null) {
        used += afterGc.getUsed();
      }
    }
    return used;
  }
}
