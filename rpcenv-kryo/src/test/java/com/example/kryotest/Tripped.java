package com.example.kryotest;

import java.io.Serializable;

/**
 * Outside the allow-list, its name as long as {@link Allowed}'s: reports its class being
 * initialized.
 */
public final class Tripped implements Serializable {
  private static final long serialVersionUID = 1L;

  static {
    Counters.TRIPPED_INITIALIZED.incrementAndGet();
  }

  public final String label;

  public Tripped(String label) {
    this.label = label;
  }
}
