package com.example.sparkit;

import java.io.Serializable;

/**
 * The messages of {@link ItPlugin}. They live beside the plugin, outside {@code io.rpcenv}, with no
 * allow-list entry: the adapter admits the plugin's own package.
 */
public final class ItMessages {
  private ItMessages() {}

  /** Executor to driver, asked in init; the reply is "welcome". */
  public record Hello(String executorId, long pid, String hostname) implements Serializable {}

  /** Executor to driver, asked; the driver part throws {@link ItFailure}. */
  public record Boom(String why) implements Serializable {}

  /** Executor to driver: what came back from asking {@link Boom}. */
  public record Outcome(String executorId, String what) implements Serializable {}

  /** Driver to executor, asked; the executor answers {@link Pong}. */
  public record Ping(int n) implements Serializable {}

  /** The executor's answer to {@link Ping}. */
  public record Pong(String executorId, int n) implements Serializable {}

  /** Driver to every executor, one way; each answers with {@link Noted}, one way. */
  public record Note(String text) implements Serializable {}

  /** An executor received a {@link Note}. */
  public record Noted(String executorId, String text) implements Serializable {}

  /**
   * Driver to executor, asked: how often the task hooks ran, as "starts/successes/failures LAST",
   * LAST naming the last failure's exception.
   */
  public record TaskCounts() implements Serializable {}

  /** The plugin's own exception type, which must reach the asker as itself. */
  public static final class ItFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public ItFailure(String message) {
      super(message);
    }
  }
}
