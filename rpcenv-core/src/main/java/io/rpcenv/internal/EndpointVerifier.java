package io.rpcenv.internal;

import io.rpcenv.RpcCallContext;
import io.rpcenv.RpcEndpoint;
import io.rpcenv.RpcException;
import io.rpcenv.internal.dispatch.Dispatcher;
import java.io.Serializable;

/** The built-in endpoint that answers lookups: does an endpoint with this name exist here? */
final class EndpointVerifier extends RpcEndpoint {
  static final String NAME = "endpoint-verifier";

  /** The question a lookup asks. */
  record CheckExistence(String name) implements Serializable {}

  private final Dispatcher dispatcher;

  EndpointVerifier(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  @Override
  public void receiveAndReply(Object message, RpcCallContext context) {
    if (message instanceof CheckExistence check) {
      context.reply(dispatcher.contains(check.name()));
    } else {
      context.sendFailure(new RpcException(NAME + " only answers lookups, not " + message));
    }
  }
}
