package com.example.untrusted;

import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;

/** A record outside every allow-list whose constructor reports being run. */
public record UntrustedRecord(String label) implements Serializable {
  public static final AtomicInteger CONSTRUCTED = new AtomicInteger();

  public UntrustedRecord {
    CONSTRUCTED.incrementAndGet();
  }
}
