package io.rpcenv;

/**
 * No endpoint with the requested name is registered at the target env, either at lookup time
 * ({@code "Cannot find endpoint: spark://name@host:port"}) or when a message arrived for it.
 */
public class RpcEndpointNotFoundException extends RpcException {
  private static final long serialVersionUID = 1L;

  /** Creates the failure with a message that names the endpoint URI. */
  public RpcEndpointNotFoundException(String message) {
    super(message);
  }
}
