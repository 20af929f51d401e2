package io.rpcenv;

import org.jspecify.annotations.Nullable;

/**
 * The endpoint that handled an ask failed it: it threw from {@code receiveAndReply} or called
 * {@link RpcCallContext#sendFailure}. The endpoint's own exception is the {@linkplain #getCause()
 * cause}, with its original type, whenever it could be serialized by the endpoint and deserialized
 * here. Otherwise the cause is null and {@link #remoteClassName()}, {@link #remoteMessage()} and
 * {@link #remoteStackTrace()} describe it.
 *
 * <p>Local asks (same env) report endpoint failures with this type too, so code behaves the same
 * whether the endpoint is near or far.
 */
public class RpcRemoteException extends RpcException {
  private static final long serialVersionUID = 1L;

  private final String remoteClassName;
  private final String remoteMessage;
  private final String remoteStackTrace;

  /**
   * Creates the failure.
   *
   * @param message what failed: endpoint, address and the endpoint's error
   * @param cause the endpoint's exception, or null if it could not be carried across
   * @param remoteClassName the class name of the endpoint's exception
   * @param remoteMessage the message of the endpoint's exception (may be null)
   * @param remoteStackTrace the stack trace text printed at the endpoint (may be empty)
   */
  public RpcRemoteException(
      String message,
      Throwable cause,
      String remoteClassName,
      String remoteMessage,
      String remoteStackTrace) {
    super(message, cause);
    this.remoteClassName = remoteClassName;
    this.remoteMessage = remoteMessage;
    this.remoteStackTrace = remoteStackTrace == null ? "" : remoteStackTrace;
  }

  /** Class name of the exception the endpoint raised. */
  public String remoteClassName() {
    return remoteClassName;
  }

  /** Message of the exception the endpoint raised, or null. */
  public @Nullable String remoteMessage() {
    return remoteMessage;
  }

  /** Stack trace text of the endpoint's exception as printed where it was raised. */
  public String remoteStackTrace() {
    return remoteStackTrace;
  }
}
