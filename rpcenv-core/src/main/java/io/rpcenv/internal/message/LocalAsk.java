package io.rpcenv.internal.message;

import io.rpcenv.RpcAddress;
import io.rpcenv.RpcException;
import io.rpcenv.internal.call.Failures;
import io.rpcenv.internal.call.PendingAsk;
import io.rpcenv.internal.codec.Codec;

/** An ask between endpoints of the same env: no bytes, unless the env serializes local messages. */
public final class LocalAsk extends AskMessage {
  private final PendingAsk<?> pending;
  private final Object message;
  private final Codec copier;
  private final RpcAddress sender;

  /**
   * @param copier the codec to copy replies with, as if they crossed the network (the env
   *     serializes local messages), or null to hand them over as they are
   * @param sender the env's own address, the sender endpoints see
   */
  public LocalAsk(PendingAsk<?> pending, Object message, Codec copier, RpcAddress sender) {
    this.pending = pending;
    this.message = message;
    this.copier = copier;
    this.sender = sender;
  }

  @Override
  protected Object content() {
    return message;
  }

  @Override
  protected void doReply(Object response) {
    Object r = response;
    if (copier != null && response != null) {
      try {
        r = copier.roundTrip(response, "reply to the " + pending.describe());
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
    return sender;
  }

  @Override
  protected String describe() {
    return pending.describe();
  }
}
