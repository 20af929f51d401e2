package io.rpcenv.plugin.internal;

import io.rpcenv.IsolatedRpcEndpoint;
import io.rpcenv.RpcCallContext;
import io.rpcenv.RpcEndpoint;
import io.rpcenv.ThreadSafeRpcEndpoint;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes {@link PluginMessage}s to the plugins of one process by class name, on one dedicated
 * thread, one message at a time. The driver's and each executor's plugins have one each.
 */
public class PluginEndpoint extends RpcEndpoint
    implements IsolatedRpcEndpoint, ThreadSafeRpcEndpoint {
  /** The name of the driver's plugin endpoint. */
  public static final String DRIVER_NAME = "io.rpcenv.plugin.PluginEndpoint";

  /** The name of each executor's plugin endpoint. */
  public static final String EXECUTOR_NAME = "io.rpcenv.plugin.ExecutorPluginEndpoint";

  private static final Logger LOG = LoggerFactory.getLogger(PluginEndpoint.class);

  /** How a plugin part handles a message. */
  @FunctionalInterface
  public interface Receiver {
    Object receive(Object message) throws Exception;
  }

  private final String side;
  private final Map<String, Receiver> receivers;
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();

  /**
   * @param side "driver" or "executor <id>", for messages
   * @param receivers plugin class name to its handler
   */
  public PluginEndpoint(String side, Map<String, Receiver> receivers) {
    this.side = side;
    this.receivers = new LinkedHashMap<>(receivers);
  }

  /**
   * Completes after {@code onStop}, when every message received before the stop has been handled.
   */
  public CompletableFuture<Void> stopped() {
    return stopped;
  }

  @Override
  public void receive(Object message) {
    if (!(message instanceof PluginMessage m)) {
      other(message);
      return;
    }
    Receiver r = receivers.get(m.pluginName());
    if (r == null) {
      LOG.warn(
          "Received message for unknown plugin {} on the {} (plugins here: {}).",
          m.pluginName(),
          side,
          receivers.keySet());
      return;
    }
    try {
      Object reply = r.receive(m.message());
      if (reply != null) {
        LOG.debug(
            "Plugin {} returned a reply to a one-way message of type {}; it is dropped",
            m.pluginName(),
            className(m.message()));
      }
    } catch (Exception e) {
      LOG.warn(
          "Error in plugin {} on the {} when handling one-way message of type {}.",
          m.pluginName(),
          side,
          className(m.message()),
          e);
    }
  }

  @Override
  public void receiveAndReply(Object message, RpcCallContext context) {
    if (!(message instanceof PluginMessage m)) {
      context.sendFailure(
          new IllegalArgumentException(
              "Plugin endpoint on the "
                  + side
                  + " got "
                  + className(message)
                  + ", not a plugin message"));
      return;
    }
    Receiver r = receivers.get(m.pluginName());
    if (r == null) {
      context.sendFailure(
          new IllegalArgumentException(
              "Received message for unknown plugin "
                  + m.pluginName()
                  + " on the "
                  + side
                  + " (plugins here: "
                  + receivers.keySet()
                  + ")."));
      return;
    }
    Object reply;
    try {
      reply = r.receive(m.message());
    } catch (Exception e) {
      LOG.debug(
          "Plugin {} on the {} failed an ask of type {}",
          m.pluginName(),
          side,
          className(m.message()),
          e);
      context.sendFailure(e);
      return;
    }
    context.reply(reply);
  }

  /** Messages other than plugin messages; none by default. */
  protected void other(Object message) {
    LOG.warn("Plugin endpoint on the {} ignored a message of type {}", side, className(message));
  }

  @Override
  public void onStop() {
    stopped.complete(null);
  }

  static String className(Object o) {
    return o == null ? "null" : o.getClass().getName();
  }
}
