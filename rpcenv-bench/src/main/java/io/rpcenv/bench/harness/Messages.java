package io.rpcenv.bench.harness;

import java.io.Serializable;

/** Sample message bodies shared by the micro-benchmarks. */
public final class Messages {
  private Messages() {}

  /** A small application message that needs Java serialization. */
  public record Heartbeat(String executorId, long timestamp, int activeTasks)
      implements Serializable {}

  /** {@code bytes16}, {@code string16}, {@code int} or {@code record}. */
  public static Object sample(String kind) {
    return switch (kind) {
      case "bytes16" -> new byte[16];
      case "string16" -> "0123456789abcdef";
      case "int" -> 42;
      case "record" -> new Heartbeat("executor-7", 1_700_000_000_000L, 3);
      default ->
          throw new IllegalArgumentException(
              "unknown body kind " + kind + " (bytes16, string16, int, record)");
    };
  }
}
