package io.rpcenv.plugin;

import io.rpcenv.RpcAddress;
import io.rpcenv.RpcConf;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The driver as one driver plugin sees it: its settings and address, the live executors, and
 * messaging to this plugin's executor parts (which Spark does not offer). Messages arrive in {@link
 * ExecutorPlugin#receive} of the same plugin class.
 */
public interface DriverContext {
  /** The application id. */
  String appId();

  /** The driver's settings. */
  RpcConf conf();

  /** Where the driver listens. */
  RpcAddress address();

  /** The executors registered now. */
  List<ExecutorInfo> executors();

  /**
   * Sends {@code message} one way to one executor; {@link IllegalArgumentException} for an unknown
   * id.
   */
  void sendToExecutor(String executorId, Object message);

  /**
   * Asks one executor's plugin part, without waiting; fails with its exception type, as {@code
   * ask}.
   */
  CompletableFuture<Object> askExecutorAsync(String executorId, Object message);

  /** Asks one executor and waits; the executor plugin's exception is thrown with its own type. */
  Object askExecutor(String executorId, Object message) throws Exception;

  /** {@link #askExecutor(String, Object)} with the reply checked against {@code replyType}. */
  default <T> T askExecutor(String executorId, Object message, Class<T> replyType)
      throws Exception {
    Object reply = askExecutor(executorId, message);
    if (reply != null && !replyType.isInstance(reply)) {
      throw new ClassCastException(
          "Executor "
              + executorId
              + " replied to "
              + message.getClass().getName()
              + " with "
              + reply.getClass().getName()
              + ", not the expected "
              + replyType.getName());
    }
    return replyType.cast(reply);
  }

  /** Sends {@code message} one way to every live executor; returns how many it was sent to. */
  int broadcast(Object message);
}
