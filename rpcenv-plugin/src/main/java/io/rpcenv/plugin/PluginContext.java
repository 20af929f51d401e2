package io.rpcenv.plugin;

import com.codahale.metrics.MetricRegistry;
import io.rpcenv.RpcConf;
import java.util.Map;

/**
 * What a plugin can see and do in the process it runs in. One per plugin and process. {@link #send}
 * and {@link #ask} reach this plugin's driver part, from an executor or from the driver itself.
 */
public interface PluginContext {
  /** Metrics of this plugin alone; reported under {@code plugin.<plugin class name>}. */
  MetricRegistry metricRegistry();

  /** This process's settings. */
  RpcConf conf();

  /** The executor id, or {@code "driver"} on the driver. */
  String executorID();

  /** The host this process is reachable at (also on executors, whose envs do not listen). */
  String hostname();

  /** Resources (such as GPUs) given to this process, by name. */
  Map<String, ResourceInformation> resources();

  /**
   * Sends {@code message} to this plugin's driver part, one way. Throws an {@link
   * io.rpcenv.RpcException} if it cannot be sent (for instance, the driver is unreachable).
   */
  void send(Object message);

  /**
   * Asks this plugin's driver part and waits for the reply ({@code spark.rpc.askTimeout}). An
   * exception thrown by the driver part is thrown here with its own type and message; a timeout
   * throws {@link io.rpcenv.RpcTimeoutException} naming the setting.
   */
  Object ask(Object message) throws Exception;

  /** {@link #ask(Object)} with the reply checked against {@code replyType}. */
  default <T> T ask(Object message, Class<T> replyType) throws Exception {
    Object reply = ask(message);
    if (reply != null && !replyType.isInstance(reply)) {
      throw new ClassCastException(
          "The driver plugin replied to "
              + message.getClass().getName()
              + " with "
              + reply.getClass().getName()
              + ", not the expected "
              + replyType.getName());
    }
    return replyType.cast(reply);
  }
}
