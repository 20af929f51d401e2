package io.rpcenv.internal.dispatch;

import io.rpcenv.RpcAddress;
import io.rpcenv.RpcEndpoint;
import io.rpcenv.RpcException;

/** A connection event delivered to every endpoint: connected, disconnected or failed. */
public final class NetworkEvent extends InboxMessage {
  /** The three kinds of event. */
  public enum Kind {
    CONNECTED,
    DISCONNECTED,
    ERROR
  }

  private final Kind kind;
  private final RpcAddress address;
  private final Throwable cause;

  public NetworkEvent(Kind kind, RpcAddress address, Throwable cause) {
    this.kind = kind;
    this.address = address;
    this.cause = cause;
  }

  @Override
  protected Object content() {
    return null;
  }

  @Override
  protected void invoke(RpcEndpoint endpoint, Object ignored) {
    switch (kind) {
      case CONNECTED -> endpoint.onConnected(address);
      case DISCONNECTED -> endpoint.onDisconnected(address);
      case ERROR -> endpoint.onNetworkError(cause, address);
      default -> throw new AssertionError(kind);
    }
  }

  @Override
  protected void undeliverable(Throwable error, String endpoint) {}

  @Override
  public void reject(RpcException reason) {} // an endpoint that is gone needs no news

  @Override
  protected String describe() {
    return kind + " event for " + address;
  }
}
