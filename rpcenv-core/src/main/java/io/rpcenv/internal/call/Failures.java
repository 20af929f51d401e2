package io.rpcenv.internal.call;

import io.rpcenv.RpcEndpointNotFoundException;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcEnvStoppedException;
import io.rpcenv.RpcException;
import io.rpcenv.RpcMessageTooLargeException;
import io.rpcenv.RpcRemoteException;
import io.rpcenv.RpcSerializationException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.ExecutionException;

/** Turns failures reported by the receiving env into the exceptions the asker sees. */
public final class Failures {
  private Failures() {}

  /**
   * The exception for a failure frame.
   *
   * @param code why it failed
   * @param message the receiver's message (for ENDPOINT_FAILED, the endpoint exception's message)
   * @param className class of the endpoint's exception, or empty
   * @param stack stack text of the endpoint's exception, or empty
   * @param error the endpoint's exception deserialized, or null
   * @param target the endpoint asked
   */
  public static RuntimeException fromWire(
      FailureCode code,
      String message,
      String className,
      String stack,
      Throwable error,
      RpcEndpointRef target) {
    if (code == null) {
      return new RpcException("The ask to " + target.endpointAddress() + " failed: " + message);
    }
    return switch (code) {
      case ENDPOINT_NOT_FOUND -> new RpcEndpointNotFoundException(message);
      case ENDPOINT_FAILED ->
          new RpcRemoteException(
              endpointFailedText(target, className, message), error, className, message, stack);
      case SERIALIZATION -> new RpcSerializationException(message, null);
      case ENV_STOPPED -> new RpcEnvStoppedException(message);
      case TOO_LARGE -> new RpcMessageTooLargeException(message, -1, -1);
    };
  }

  /** The exception for an endpoint of this env that failed an ask with {@code error}. */
  public static RpcRemoteException endpointFailed(RpcEndpointRef target, Throwable error) {
    String className = error.getClass().getName();
    return new RpcRemoteException(
        endpointFailedText(target, className, error.getMessage()),
        error,
        className,
        error.getMessage(),
        stackText(error));
  }

  /** {@code t}'s stack trace as {@code printStackTrace} prints it. */
  public static String stackText(Throwable t) {
    StringWriter sw = new StringWriter();
    t.printStackTrace(new PrintWriter(sw));
    return sw.toString();
  }

  /**
   * What a caller waiting on a future should see of its failure: an unchecked exception as it is,
   * an {@link Error} rethrown, anything else wrapped in an {@link RpcException} that starts with
   * {@code what}.
   */
  public static RuntimeException unwrap(ExecutionException e, String what) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    if (cause instanceof RuntimeException r) {
      return r;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    return new RpcException(what + ": " + cause, cause);
  }

  /** The failure code that tells the asker what happened to its request at the receiver. */
  public static FailureCode codeFor(RpcException e) {
    if (e instanceof RpcEndpointNotFoundException) {
      return FailureCode.ENDPOINT_NOT_FOUND;
    }
    if (e instanceof RpcEnvStoppedException) {
      return FailureCode.ENV_STOPPED;
    }
    if (e instanceof RpcMessageTooLargeException) {
      return FailureCode.TOO_LARGE;
    }
    if (e instanceof RpcSerializationException) {
      return FailureCode.SERIALIZATION;
    }
    return FailureCode.ENDPOINT_FAILED;
  }

  private static String endpointFailedText(
      RpcEndpointRef target, String className, String message) {
    return "Endpoint "
        + target.endpointAddress()
        + " failed the ask: "
        + className
        + (message == null || message.isEmpty() ? "" : ": " + message);
  }
}
