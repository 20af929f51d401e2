package io.rpcenv;

/**
 * Root of every failure that rpcenv reports. Unchecked, so that futures, lambdas and blocking calls
 * carry the same exception types; catch a subtype to react to one kind of failure.
 *
 * <p>Every message names what failed, where (endpoint and address), and, when a setting governs the
 * behaviour, the setting to change.
 */
public class RpcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message and no cause. */
  public RpcException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the failure that caused it. */
  public RpcException(String message, Throwable cause) {
    super(message, cause);
  }
}
