package io.rpcenv.runtime.internal;

import io.rpcenv.RpcAddress;
import io.rpcenv.RpcEndpoint;
import io.rpcenv.ThreadSafeRpcEndpoint;
import io.rpcenv.runtime.ExitCode;
import io.rpcenv.runtime.internal.Messages.StopExecutor;
import java.util.function.BiConsumer;

/**
 * An executor's endpoint: the driver tells it to stop; losing the driver's connection stops it too.
 */
public final class ExecutorEndpoint extends RpcEndpoint implements ThreadSafeRpcEndpoint {
  private final RpcAddress driver;
  private final BiConsumer<ExitCode, String> stop;

  /**
   * @param driver the driver's address
   * @param stop stops the executor with an exit code and a reason
   */
  public ExecutorEndpoint(RpcAddress driver, BiConsumer<ExitCode, String> stop) {
    this.driver = driver;
    this.stop = stop;
  }

  @Override
  public void receive(Object message) {
    if (message instanceof StopExecutor s) {
      stop.accept(
          s.reason().startsWith("expired") ? ExitCode.EXPIRED : ExitCode.STOPPED, s.reason());
    }
  }

  @Override
  public void onDisconnected(RpcAddress remoteAddress) {
    if (driver.equals(remoteAddress)) {
      stop.accept(ExitCode.DRIVER_LOST, "the connection to the driver at " + driver + " closed");
    }
  }
}
