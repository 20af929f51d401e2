package io.rpcenv;

/**
 * A serialized message or reply exceeds {@code spark.rpc.message.maxSize}. Raised at the sender
 * before anything is written; the message names the size, the limit and the setting.
 */
public class RpcMessageTooLargeException extends RpcException {
  private static final long serialVersionUID = 1L;

  private final long size;
  private final long limit;

  /** Creates the failure for a payload of {@code size} bytes against a limit of {@code limit}. */
  public RpcMessageTooLargeException(String message, long size, long limit) {
    super(message);
    this.size = size;
    this.limit = limit;
  }

  /** Serialized size in bytes of the payload that was refused. */
  public long size() {
    return size;
  }

  /** The limit in bytes that applied. */
  public long limit() {
    return limit;
  }
}
