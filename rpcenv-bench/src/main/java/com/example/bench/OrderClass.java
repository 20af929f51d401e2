package com.example.bench;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * W7's realistic message as a plain {@code Serializable} class, the fields of {@link OrderRecord}.
 */
public final class OrderClass implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String id;
  private final long timestampMillis;
  private final int quantity;
  private final List<String> tags;
  private final Map<String, Long> counters;
  private final byte[] payload;

  public OrderClass(
      String id,
      long timestampMillis,
      int quantity,
      List<String> tags,
      Map<String, Long> counters,
      byte[] payload) {
    this.id = id;
    this.timestampMillis = timestampMillis;
    this.quantity = quantity;
    this.tags = tags;
    this.counters = counters;
    this.payload = payload;
  }

  public String id() {
    return id;
  }

  public long timestampMillis() {
    return timestampMillis;
  }

  public int quantity() {
    return quantity;
  }

  public List<String> tags() {
    return tags;
  }

  public Map<String, Long> counters() {
    return counters;
  }

  public byte[] payload() {
    return payload;
  }
}
