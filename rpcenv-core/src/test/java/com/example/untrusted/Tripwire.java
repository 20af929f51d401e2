package com.example.untrusted;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A class outside every allow-list that reports being deserialized: if {@link #TRIPPED} moves,
 * bytes from the network reached Java deserialization.
 */
public final class Tripwire implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final AtomicInteger TRIPPED = new AtomicInteger();

  private final String label;

  public Tripwire(String label) {
    this.label = label;
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    TRIPPED.incrementAndGet();
    in.defaultReadObject();
  }

  @Override
  public String toString() {
    return "Tripwire(" + label + ")";
  }
}
