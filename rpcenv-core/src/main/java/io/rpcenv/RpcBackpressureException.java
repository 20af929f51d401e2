package io.rpcenv;

/**
 * A bound on queued work was reached: too many bytes wait to be written to a peer ({@code
 * spark.rpc.outbox.maxBytes}), or too many asks to one peer are outstanding ({@code
 * spark.rpc.io.maxOutstandingAsks}). Nothing was sent; the caller may retry later or slow down. The
 * message names the peer, the amount and the setting.
 */
public class RpcBackpressureException extends RpcException {
  private static final long serialVersionUID = 1L;

  /** Creates the failure. */
  public RpcBackpressureException(String message) {
    super(message);
  }
}
