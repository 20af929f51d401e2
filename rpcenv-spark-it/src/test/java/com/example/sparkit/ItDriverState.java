package com.example.sparkit;

import io.rpcenv.plugin.DriverContext;
import io.rpcenv.plugin.ExecutorInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** What {@link ItPlugin}'s driver part saw, in the driver's JVM; one application at a time. */
public final class ItDriverState {
  private static ItDriverState current = new ItDriverState();

  private DriverContext driver;
  private final Map<String, ItMessages.Hello> hellos = new LinkedHashMap<>();
  private final Map<String, String> outcomes = new LinkedHashMap<>();
  private final List<ItMessages.Noted> noted = new ArrayList<>();
  private final List<String> added = new ArrayList<>();
  private final Map<String, String> removed = new LinkedHashMap<>();
  private boolean shutDown;

  /** Starts afresh, for the next application. */
  public static synchronized ItDriverState reset() {
    current = new ItDriverState();
    return current;
  }

  /** The state of the running (or last) application. */
  public static synchronized ItDriverState current() {
    return current;
  }

  synchronized void init(DriverContext driver) {
    this.driver = driver;
    notifyAll();
  }

  synchronized void hello(ItMessages.Hello h) {
    hellos.put(h.executorId(), h);
    notifyAll();
  }

  synchronized void outcome(ItMessages.Outcome o) {
    outcomes.put(o.executorId(), o.what());
    notifyAll();
  }

  synchronized void noted(ItMessages.Noted n) {
    noted.add(n);
    notifyAll();
  }

  synchronized void added(ExecutorInfo e) {
    added.add(e.executorId());
    notifyAll();
  }

  synchronized void removed(ExecutorInfo e, String reason) {
    removed.put(e.executorId(), reason);
    notifyAll();
  }

  synchronized void shutDown() {
    shutDown = true;
    notifyAll();
  }

  public synchronized DriverContext driver() {
    return driver;
  }

  public synchronized Map<String, ItMessages.Hello> hellos() {
    return new LinkedHashMap<>(hellos);
  }

  public synchronized Map<String, String> outcomes() {
    return new LinkedHashMap<>(outcomes);
  }

  public synchronized List<ItMessages.Noted> noted() {
    return new ArrayList<>(noted);
  }

  public synchronized List<String> added() {
    return new ArrayList<>(added);
  }

  public synchronized Map<String, String> removed() {
    return new LinkedHashMap<>(removed);
  }

  public synchronized boolean isShutDown() {
    return shutDown;
  }

  /** Waits until {@code done} holds of this state; fails with the state if it does not in time. */
  public synchronized void await(Predicate<ItDriverState> done, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.test(this)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "Timed out after " + timeout + " waiting for " + what + ": " + this);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  @Override
  public synchronized String toString() {
    return "ItDriverState[hellos="
        + hellos.keySet()
        + ", outcomes="
        + outcomes
        + ", noted="
        + noted
        + ", added="
        + added
        + ", removed="
        + removed
        + ", shutDown="
        + shutDown
        + "]";
  }
}
