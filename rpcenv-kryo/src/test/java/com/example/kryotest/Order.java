package com.example.kryotest;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/** A plain class of the kinds Kryo carries here, with a link that may be shared or cyclic. */
public final class Order implements Serializable {
  private static final long serialVersionUID = 1L;

  public enum Side {
    BUY,
    SELL
  }

  public String id;
  public long timestamp;
  public int quantity;
  public Side side;
  public List<String> tags;
  public Map<String, Long> counters;
  public Set<Integer> codes;
  public byte[] payload;
  public int[] ints;
  public String[] names;
  public UUID uuid;
  public BigDecimal price;
  public Instant at;
  public Allowed note;
  public Order parent;
  public transient String notSent;

  @Override
  public boolean equals(Object o) {
    return o instanceof Order other
        && Objects.equals(id, other.id)
        && timestamp == other.timestamp
        && quantity == other.quantity
        && side == other.side
        && Objects.equals(tags, other.tags)
        && Objects.equals(counters, other.counters)
        && Objects.equals(codes, other.codes)
        && java.util.Arrays.equals(payload, other.payload)
        && java.util.Arrays.equals(ints, other.ints)
        && java.util.Arrays.equals(names, other.names)
        && Objects.equals(uuid, other.uuid)
        && Objects.equals(price, other.price)
        && Objects.equals(at, other.at)
        && (note == null
            ? other.note == null
            : other.note != null && note.label.equals(other.note.label));
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, timestamp, quantity);
  }
}
