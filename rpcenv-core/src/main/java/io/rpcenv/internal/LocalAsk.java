package io.rpcenv.internal;

import io.rpcenv.RpcAddress;
import io.rpcenv.RpcException;
import io.rpcenv.internal.call.Failures;
import io.rpcenv.internal.call.PendingAsk;

/** An ask between endpoints of the same env: no bytes, unless the env serializes local messages. */
final class LocalAsk extends AskMessage {
  private final NettyRpcEnv env;
  private final PendingAsk<?> pending;
  private final Object message;

  LocalAsk(NettyRpcEnv env, PendingAsk<?> pending, Object message) {
    this.env = env;
    this.pending = pending;
    this.message = message;
  }

  @Override
  protected Object content() {
    return message;
  }

  @Override
  protected void doReply(Object response) {
    Object r = response;
    if (env.serializeLocal && response != null) {
      try {
        r = env.codec.roundTrip(response, "reply to the " + pending.describe());
      } catch (RpcException e) {
        pending.fail(e);
        throw e;
      }
    }
    pending.succeed(r);
  }

  @Override
  protected void doFail(Throwable cause) {
    pending.fail(Failures.endpointFailed(pending.target(), cause));
  }

  @Override
  protected void undeliverable(Throwable error, String endpoint) {
    pending.fail(error);
  }

  @Override
  public void reject(RpcException reason) {
    pending.fail(reason);
  }

  @Override
  public RpcAddress senderAddress() {
    return env.address();
  }

  @Override
  protected String describe() {
    return pending.describe();
  }
}
