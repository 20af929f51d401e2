package io.rpcenv.plugin;

import java.util.Map;

/**
 * The executor part of an {@link RpcPlugin}. Every method has a default.
 *
 * <p>{@link #receive} runs on one dedicated thread per executor (shared by the executor's plugins),
 * one message at a time. The task hooks are called only by hosts that run tasks; the rpcenv runtime
 * does not, so they are there for hosts that embed {@code ExecutorPluginContainer}.
 */
public interface ExecutorPlugin {

  /**
   * Called once when the executor starts, before it registers with the driver. {@code extraConf} is
   * exactly what this plugin's driver part returned from {@link DriverPlugin#init}. May {@code ask}
   * the driver. Throwing stops the executor.
   */
  default void init(PluginContext ctx, Map<String, String> extraConf) {}

  /** Called once when the executor stops; may still {@code send} to the driver. */
  default void shutdown() {}

  /** Handles a message from this plugin's driver part; the return value is the reply to an ask. */
  default Object receive(Object message) throws Exception {
    throw new UnsupportedOperationException(
        getClass().getName()
            + " does not handle messages (got "
            + (message == null ? "null" : message.getClass().getName())
            + "): override ExecutorPlugin.receive");
  }

  /** Before a task runs, on the task's thread (hosts that run tasks only). */
  default void onTaskStart() {}

  /** After a task succeeded, on the task's thread (hosts that run tasks only). */
  default void onTaskSucceeded() {}

  /** After a task failed, on the task's thread (hosts that run tasks only). */
  default void onTaskFailed(Throwable failureReason) {}
}
