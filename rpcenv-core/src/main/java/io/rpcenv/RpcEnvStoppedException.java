package io.rpcenv;

/**
 * The env was shut down: after {@link RpcEnv#shutdown()}, {@code send}, {@code ask} and {@code
 * setupEndpoint} fail with this exception, and asks still outstanding at shutdown fail with it too.
 * Also reported when the remote env is stopping.
 */
public class RpcEnvStoppedException extends RpcException {
  private static final long serialVersionUID = 1L;

  /** Creates the failure with a message that names the env. */
  public RpcEnvStoppedException(String message) {
    super(message);
  }
}
