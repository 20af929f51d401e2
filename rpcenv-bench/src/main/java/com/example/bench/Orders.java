package com.example.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Makes W7's messages: the same content as a record or as a plain class. */
public final class Orders {
  private Orders() {}

  /** A record with 20 tags, 20 counters and a 256-byte payload, varied by {@code n}. */
  public static OrderRecord record(long n) {
    return new OrderRecord(
        "order-" + n, 1_700_000_000_000L + n, (int) n, tags(n), counters(n), payload(n));
  }

  /** The same content as {@link #record}, as a plain class. */
  public static OrderClass plain(long n) {
    return new OrderClass(
        "order-" + n, 1_700_000_000_000L + n, (int) n, tags(n), counters(n), payload(n));
  }

  /** Whether {@code reply} is an echo of message {@code n} of either kind (checked by its id). */
  public static boolean isEchoOf(Object reply, long n) {
    String id =
        reply instanceof OrderRecord r ? r.id() : reply instanceof OrderClass c ? c.id() : null;
    return ("order-" + n).equals(id);
  }

  private static List<String> tags(long n) {
    List<String> tags = new ArrayList<>(20);
    for (int i = 0; i < 20; i++) {
      tags.add("tag-" + (n + i) % 1000);
    }
    return tags;
  }

  private static Map<String, Long> counters(long n) {
    Map<String, Long> m = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      m.put("counter-" + i, n * i);
    }
    return m;
  }

  private static byte[] payload(long n) {
    byte[] b = new byte[256];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (n + i);
    }
    return b;
  }
}
