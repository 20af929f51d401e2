package io.rpcenv;

import org.jspecify.annotations.Nullable;

/**
 * How an endpoint answers one ask. Call {@link #reply} or {@link #sendFailure} exactly once, from
 * any thread, during {@code receiveAndReply} or after it has returned; a second answer throws
 * {@link IllegalStateException}. An ask that is never answered fails at the asker by its timeout.
 */
public interface RpcCallContext {
  /**
   * Sends {@code response} (may be null) to the asker. A response that cannot be serialized or is
   * too large throws here and fails the ask with the same error, so the asker does not wait.
   */
  void reply(@Nullable Object response);

  /**
   * Fails the ask with {@code cause}, which the asker receives inside an {@link
   * RpcRemoteException}.
   */
  void sendFailure(Throwable cause);

  /**
   * Who asked: the listen address of a server-mode sender, the connection's address for a
   * client-mode sender, or this env's own address for a local ask (null in a client-mode env). A
   * listen address is only given once checked: it must be on the host the connection comes from and
   * not the address another open connection comes from; otherwise the connection's own address is
   * given. So two connections never share a sender address, and a check against the address
   * something registered from holds without authentication too.
   */
  @Nullable RpcAddress senderAddress();
}
