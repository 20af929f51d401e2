package io.rpcenv.internal.call;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import io.rpcenv.AbortableRpcFuture;
import io.rpcenv.RpcAddress;
import io.rpcenv.RpcConnectionException;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcTimeout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One outstanding ask: the future the caller holds, its timeout on the env's timer, and the
 * request id under which its connection knows it. Exactly one of reply, failure, timeout or abort
 * completes it; the others find it already done or already forgotten by its owner.
 *
 * @param <T> the reply type
 */
public final class PendingAsk<T> extends CompletableFuture<T> implements TimerTask, AbortableRpcFuture<T> {

  /** Where an ask is registered while it waits: a connection's map of outstanding requests. */
  public interface Owner {
    /** Removes {@code ask} under {@code id}; true if it was still registered. */
    boolean forget(long id, PendingAsk<?> ask);
  }

  private final RpcEndpointRef target;
  private final RpcAddress peer;
  private final Class<?> messageClass;
  private final RpcTimeout timeout;
  private Owner owner;
  private long id;
  private volatile Timeout timer;

  /**
   * @param target the endpoint asked
   * @param peer the address the reply is awaited from (the connection's address for a client-mode target)
   * @param message the message, for error texts
   * @param timeout the ask's timeout
   */
  public PendingAsk(RpcEndpointRef target, RpcAddress peer, Object message, RpcTimeout timeout) {
    this.target = target;
    this.peer = peer;
    this.messageClass = message == null ? null : message.getClass();
    this.timeout = timeout;
  }

  /** Records where the ask is registered; called before the request is written. */
  public void register(Owner owner, long id) {
    this.owner = owner;
    this.id = id;
  }

  /** Starts the timeout clock. */
  public void startTimer(Timer wheel) {
    if (timeout != RpcTimeout.INFINITE && !isDone()) {
      timer = wheel.newTimeout(this, timeout.duration().toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** The endpoint asked. */
  public RpcEndpointRef target() {
    return target;
  }

  /** Completes with the reply. */
  @SuppressWarnings("unchecked")
  public void succeed(Object reply) {
    cancelTimer();
    complete((T) reply);
  }

  /** Completes with a failure. */
  public void fail(Throwable cause) {
    cancelTimer();
    completeExceptionally(cause);
  }

  /** Fails because the connection the ask depended on closed. */
  public void failConnectionClosed(RpcAddress connectionPeer, String reason, Throwable cause) {
    fail(new RpcConnectionException(reason + " before the reply to " + describe() + " arrived", connectionPeer,
        cause));
  }

  /** Timer expiry: fails with a timeout naming the peer, the endpoint and the setting. */
  @Override
  public void run(Timeout t) {
    if (owner == null || owner.forget(id, this)) {
      completeExceptionally(timeout.timeoutException("Cannot receive any reply from "
          + (peer == null ? "this env" : peer.hostPort()) + " in " + timeout.describe() + " (" + describe() + ")"));
    }
  }

  @Override
  public CompletableFuture<T> future() {
    return this;
  }

  @Override
  public void abort(Throwable reason) {
    forget();
    fail(reason);
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    forget();
    cancelTimer();
    return super.cancel(mayInterruptIfRunning);
  }

  /** Dependent stages are plain futures: only this one is wired to the connection and the timer. */
  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }

  /** {@code ask of com.example.Msg to spark://name@host:port}. */
  public String describe() {
    return "ask of " + (messageClass == null ? "null" : messageClass.getName()) + " to " + target.endpointAddress();
  }

  private void forget() {
    Owner o = owner;
    if (o != null) {
      o.forget(id, this);
    }
  }

  private void cancelTimer() {
    Timeout t = timer;
    if (t != null) {
      t.cancel();
    }
  }
}
