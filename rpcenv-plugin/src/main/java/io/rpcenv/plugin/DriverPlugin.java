package io.rpcenv.plugin;

import java.util.Map;

/**
 * The driver part of an {@link RpcPlugin}. Every method has a default, so implement only what the
 * plugin needs.
 *
 * <p>Threading: {@link #receive}, {@link #onExecutorAdded} and {@link #onExecutorRemoved} of all
 * driver plugins run on one dedicated thread, one call at a time, so they need no locking among
 * themselves; a slow {@code receive} delays every plugin's messages (but not the driver's own
 * work). From {@code receive}, use {@link PluginContext#send} or the {@link DriverContext} methods,
 * not {@link PluginContext#ask}, which would wait for the very thread it runs on.
 */
public interface DriverPlugin {

  /**
   * Called once at driver start-up, before any executor exists. Returns settings handed to this
   * plugin's executor part as the {@code extraConf} of {@link ExecutorPlugin#init}. The plugin
   * endpoint is not running yet: do not {@code ask} or {@code send} from here. Throwing stops the
   * driver from starting.
   */
  default Map<String, String> init(DriverContext driver, PluginContext ctx) {
    return Map.of();
  }

  /** Called once the application id is known, after {@link #init}; register metrics here. */
  default void registerMetrics(String appId, PluginContext ctx) {}

  /**
   * Handles a message from this plugin's executor part (or from the driver itself). The return
   * value is the reply to an {@code ask} (may be null) and is ignored for a {@code send}. An
   * exception is thrown to the asker, with its own type and message.
   */
  default Object receive(Object message) throws Exception {
    throw new UnsupportedOperationException(
        getClass().getName()
            + " does not handle messages (got "
            + (message == null ? "null" : message.getClass().getName())
            + "): override DriverPlugin.receive");
  }

  /** An executor registered (its plugins have been initialized). */
  default void onExecutorAdded(ExecutorInfo executor) {}

  /** An executor went away: stopped, lost its connection, or stopped heartbeating. */
  default void onExecutorRemoved(ExecutorInfo executor, String reason) {}

  /**
   * Called once at driver shutdown, after every executor has been told to stop and every message
   * already received has been handled; do not use RPC here.
   */
  default void shutdown() {}
}
