package io.rpcenv.plugin;

import io.rpcenv.RpcException;

/**
 * A plugin could not be loaded or initialized: the message names the plugin class and the reason.
 * Stops the driver or executor from starting.
 */
public class PluginException extends RpcException {
  private static final long serialVersionUID = 1L;

  /** Creates the failure. */
  public PluginException(String message, Throwable cause) {
    super(message, cause);
  }
}
