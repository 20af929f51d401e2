package io.rpcenv.examples.plugin;

import java.io.Serializable;

/** The messages of the demo plugin, as in the Spark 3 plugin RPC example it follows. */
public final class DemoMessages {
  private DemoMessages() {}

  /** Executor to driver, in init: what value should I start from? */
  public record InitialConfigRequest() implements Serializable {}

  /** Driver to executor: start from {@code value}. */
  public record InitialConfigResponse(int value) implements Serializable {}

  /** Executor to driver, one way, when it stops: what it ended with. */
  public record FinalValueResponse(int value) implements Serializable {}
}
