package io.rpcenv.internal;

import io.rpcenv.RpcEndpoint;
import io.rpcenv.RpcEnvStoppedException;
import io.rpcenv.RpcException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A one-way message between endpoints of the same env. */
final class LocalOneWay extends io.rpcenv.internal.dispatch.InboxMessage {
  private static final Logger LOG = LoggerFactory.getLogger(LocalOneWay.class);

  private final Object message;
  private final String endpoint;

  LocalOneWay(Object message, String endpoint) {
    this.message = message;
    this.endpoint = endpoint;
  }

  @Override
  protected Object content() {
    return message;
  }

  @Override
  protected void invoke(RpcEndpoint target, Object content) {
    target.receive(content);
  }

  @Override
  protected void undeliverable(Throwable error, String where) {
    LOG.warn("Could not deliver {} to endpoint {}: {}", describe(), where, error.toString());
  }

  @Override
  public void reject(RpcException reason) {
    if (reason instanceof RpcEnvStoppedException) {
      LOG.debug("Dropped {}: {}", describe(), reason.getMessage());
    } else {
      LOG.warn("Dropped {}: {}", describe(), reason.getMessage());
    }
  }

  @Override
  protected String describe() {
    return "one-way message " + (message == null ? "null" : message.getClass().getName()) + " to local endpoint '"
        + endpoint + "'";
  }
}
