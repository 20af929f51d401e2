package io.rpcenv.testkit;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test when Netty reports a leaked buffer. Registered for every test through JUnit's
 * extension auto-detection. After each test it collects garbage, waits until the collector has
 * handed over the references it cleared (a sentinel reference tells when), makes Netty poll its
 * leak queues, and fails if any report arrived.
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterEachCallback {

  @Override
  public void beforeAll(ExtensionContext context) {
    if (!RecordingLeakDetector.installed()) {
      throw new IllegalStateException(
          "Tests must run with -Dio.netty.customResourceLeakDetector="
              + RecordingLeakDetector.class.getName()
              + " and -Dio.netty.leakDetection.level=paranoid (see the parent "
              + "pom's argLine)");
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    List<String> reports = collect();
    if (!reports.isEmpty()) {
      throw new AssertionError(
          "Netty reported "
              + reports.size()
              + " leaked buffer(s) during or before "
              + context.getDisplayName()
              + ":\n"
              + String.join("\n\n", reports));
    }
  }

  /** Runs a GC, lets the leak detectors see what it cleared, and returns their reports. */
  public static List<String> collect() throws InterruptedException {
    for (int round = 0; round < 2; round++) {
      ReferenceQueue<Object> queue = new ReferenceQueue<>();
      PhantomReference<Object> sentinel = new PhantomReference<>(new Object(), queue);
      System.gc();
      queue.remove(2000); // the reference handler has processed this collection
      sentinel.clear();
      // Each allocation makes the detectors poll their queues.
      ByteBufAllocator.DEFAULT.buffer(8).release();
      PooledByteBufAllocator.DEFAULT.directBuffer(8).release();
      PooledByteBufAllocator.DEFAULT.heapBuffer(8).release();
      Unpooled.directBuffer(8).release();
    }
    return RecordingLeakDetector.drainReports();
  }
}
