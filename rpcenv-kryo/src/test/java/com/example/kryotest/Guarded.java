package com.example.kryotest;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;

/** Checks its invariant in readObject, as Java serialization lets a class do. */
public final class Guarded implements Serializable {
  private static final long serialVersionUID = 1L;
  public final int positive;

  public Guarded(int positive) {
    this.positive = positive;
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    Counters.GUARDED_READ.incrementAndGet();
    if (positive <= 0) {
      throw new InvalidObjectException("positive must be positive: " + positive);
    }
  }
}
