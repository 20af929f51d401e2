package io.rpcenv.internal.message;

/** A one-way message between endpoints of the same env. */
public final class LocalOneWay extends OneWayMessage {
  private final Object message;
  private final String endpoint;

  public LocalOneWay(Object message, String endpoint) {
    this.message = message;
    this.endpoint = endpoint;
  }

  @Override
  protected Object content() {
    return message;
  }

  @Override
  protected String describe() {
    return "one-way message "
        + (message == null ? "null" : message.getClass().getName())
        + " to local endpoint '"
        + endpoint
        + "'";
  }
}
