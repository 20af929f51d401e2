package io.rpcenv;

import java.util.concurrent.TimeoutException;

/**
 * No reply (or no lookup answer) arrived within an {@link RpcTimeout}. The message says what timed
 * out, at which endpoint and address, after how long, and ends with {@code ". This timeout is
 * controlled by <property>"} exactly once; the cause is a plain {@link TimeoutException}.
 */
public class RpcTimeoutException extends RpcException {
  private static final long serialVersionUID = 1L;
  private static final String CONTROLLED_BY = ". This timeout is controlled by ";

  private final String property;

  /**
   * Creates a timeout failure.
   *
   * @param what what timed out, e.g. {@code "Cannot receive any reply from 10.0.0.1:7077 in 5
   *     seconds"}
   * @param property the setting that controls this timeout
   */
  public RpcTimeoutException(String what, String property) {
    super(what + CONTROLLED_BY + property, new TimeoutException(what));
    this.property = property;
  }

  /** The configuration property that controls the timeout that expired. */
  public String property() {
    return property;
  }
}
