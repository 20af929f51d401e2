package io.rpcenv;

/**
 * A message, reply or failure could not be serialized or deserialized. The message names the class
 * involved; a non-serializable message fails at the sender, before anything is written.
 */
public class RpcSerializationException extends RpcException {
  private static final long serialVersionUID = 1L;

  /** Creates the failure with a message naming the class involved. */
  public RpcSerializationException(String message, Throwable cause) {
    super(message, cause);
  }
}
