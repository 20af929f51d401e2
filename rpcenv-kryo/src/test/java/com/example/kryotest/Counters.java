package com.example.kryotest;

import java.util.concurrent.atomic.AtomicInteger;

/** What the test classes report, kept apart so that reading it initializes none of them. */
public final class Counters {
  private Counters() {}

  /** Times {@link Tripped}'s static initializer ran. */
  public static final AtomicInteger TRIPPED_INITIALIZED = new AtomicInteger();

  /** Times {@link Guarded}'s readObject ran. */
  public static final AtomicInteger GUARDED_READ = new AtomicInteger();
}
