package io.rpcenv.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeakCheckExtensionTest {

  @Test
  void detectorIsInstalledInTestJvms() {
    assertTrue(
        RecordingLeakDetector.installed(), "surefire argLine must install RecordingLeakDetector");
  }

  @Test
  void collectReportsABufferThatWasNeverReleased() throws InterruptedException {
    leakOne();
    List<String> reports = LeakCheckExtension.collect();
    assertFalse(reports.isEmpty(), "a buffer dropped without release() must be reported");
    assertTrue(reports.get(0).startsWith("LEAK: "), reports.get(0));
  }

  @Test
  void collectReportsNothingWhenEveryBufferIsReleased() throws InterruptedException {
    ByteBuf b = ByteBufAllocator.DEFAULT.buffer(64);
    b.writeLong(1);
    b.release();
    assertTrue(LeakCheckExtension.collect().isEmpty());
  }

  private static void leakOne() {
    ByteBuf b = ByteBufAllocator.DEFAULT.buffer(64);
    b.writeLong(42); // never released
  }
}
