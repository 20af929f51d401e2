package io.rpcenv.internal.message;

import io.rpcenv.RpcEndpoint;
import io.rpcenv.RpcException;
import io.rpcenv.internal.dispatch.InboxMessage;
import io.rpcenv.internal.metrics.EndpointMetrics;

/**
 * A one-way message, local or remote: handed to {@code receive}; if it cannot be, logged (see
 * {@link OneWayDrops}).
 */
abstract class OneWayMessage extends InboxMessage {

  @Override
  protected final int reaching(EndpointMetrics metrics) {
    return ONE_WAY;
  }

  @Override
  protected final void invoke(RpcEndpoint target, Object content) {
    target.receive(content);
  }

  @Override
  protected final void undeliverable(Throwable error, String where) {
    OneWayDrops.undeliverable(describe(), where, error);
  }

  @Override
  public void reject(RpcException reason) {
    OneWayDrops.rejected(describe(), reason);
  }
}
