package com.example.kryotest;

import java.io.Serializable;

/** A plain class the tests' allow-list admits by name. */
public final class Allowed implements Serializable {
  private static final long serialVersionUID = 1L;
  public final String label;

  public Allowed(String label) {
    this.label = label;
  }
}
