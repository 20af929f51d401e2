package io.rpcenv.internal.call;

/** Why an ask failed at the receiving env, as carried in a failure frame. */
public enum FailureCode {
  /** No endpoint with that name; or it stopped before handling the message. */
  ENDPOINT_NOT_FOUND(1),
  /** The endpoint threw or called sendFailure; the frame carries its exception. */
  ENDPOINT_FAILED(2),
  /** The request could not be deserialized, or the reply could not be serialized. */
  SERIALIZATION(3),
  /** The receiving env is shutting down. */
  ENV_STOPPED(4),
  /** The reply exceeds the replying env's spark.rpc.message.maxSize. */
  TOO_LARGE(5);

  private final byte wire;

  FailureCode(int wire) {
    this.wire = (byte) wire;
  }

  /** The byte that stands for this code on the wire. */
  public byte wire() {
    return wire;
  }

  /** The code for {@code wire}, or null for a byte that stands for none. */
  public static FailureCode fromWire(byte wire) {
    for (FailureCode c : values()) {
      if (c.wire == wire) {
        return c;
      }
    }
    return null;
  }
}
