package io.rpcenv.internal.call;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import io.rpcenv.AbortableRpcFuture;
import io.rpcenv.RpcAddress;
import io.rpcenv.RpcConnectionException;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcTimeout;
import io.rpcenv.RpcTimeoutException;
import io.rpcenv.internal.metrics.AskMetrics;
import io.rpcenv.internal.metrics.AskMetrics.Outcome;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One outstanding ask: the future the caller holds, its timeout on the env's timer, and the request
 * id under which its connection knows it. Exactly one of reply, failure, timeout or abort completes
 * it; the others find it already done or already forgotten by its owner.
 *
 * @param <T> the reply type
 */
@SuppressWarnings("rawtypes") // field updaters of a generic class are raw
public final class PendingAsk<T> extends CompletableFuture<T>
    implements TimerTask, AbortableRpcFuture<T> {

  /** Where an ask is registered while it waits: a connection's outstanding requests. */
  public interface Owner {
    /**
     * Stops waiting for the reply to {@code ask}, which has completed otherwise (timeout, abort).
     */
    void forget(long id, PendingAsk<?> ask);

    /** One of the asks counted against spark.rpc.io.maxOutstandingAsks no longer counts. */
    void slotFreed();
  }

  private static final AtomicIntegerFieldUpdater<PendingAsk> CLAIMED =
      AtomicIntegerFieldUpdater.newUpdater(PendingAsk.class, "claimed");
  private static final AtomicIntegerFieldUpdater<PendingAsk> SLOT_FREED =
      AtomicIntegerFieldUpdater.newUpdater(PendingAsk.class, "slotFreed");

  private final RpcEndpointRef target;
  private final RpcAddress peer;
  private final Class<?> messageClass;
  private final RpcTimeout timeout;
  private final AskMetrics metrics;

  /**
   * When the ask began, for the one ask in {@link AskMetrics#TIMING_SAMPLE} that is timed; else 0.
   */
  private final long startNanos = AskMetrics.startIfSampled();

  private volatile Owner owner;
  private long id;

  @SuppressWarnings("unused") // through CLAIMED
  private volatile int claimed;

  @SuppressWarnings("unused") // through SLOT_FREED
  private volatile int slotFreed;

  private volatile Timeout timer;

  /**
   * @param target the endpoint asked
   * @param peer the address the reply is awaited from (the connection's address for a client-mode
   *     target)
   * @param message the message, for error texts
   * @param timeout the ask's timeout
   * @param metrics where the ask's latency and outcome are counted
   */
  public PendingAsk(
      RpcEndpointRef target,
      RpcAddress peer,
      Object message,
      RpcTimeout timeout,
      AskMetrics metrics) {
    this.metrics = metrics;
    this.target = target;
    this.peer = peer;
    this.messageClass = message == null ? null : message.getClass();
    this.timeout = timeout;
  }

  /** Records where the ask is registered; called before the request is written. */
  public void register(Owner owner, long id) {
    this.id = id;
    this.owner = owner; // published after the id
  }

  /**
   * Claims the right to complete this ask: true for the first of reply, failure, timeout, abort and
   * cancel, false for the rest.
   */
  public boolean claim() {
    return CLAIMED.compareAndSet(this, 0, 1);
  }

  /** Whether a reply, failure, timeout, abort or cancel has claimed this ask. */
  public boolean isClaimed() {
    return claimed != 0;
  }

  /**
   * Gives back this ask's place among its connection's outstanding asks; only the first call
   * counts.
   */
  public void freeSlot() {
    Owner o = owner;
    if (o != null && SLOT_FREED.compareAndSet(this, 0, 1)) {
      o.slotFreed();
    }
  }

  /** The request id under which the connection knows this ask. */
  public long id() {
    return id;
  }

  /** Starts the timeout clock. */
  public void startTimer(Timer wheel) {
    if (!timeout.isInfinite() && !isDone()) {
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
    if (super.complete((T) reply)) {
      metrics.ended(startNanos, Outcome.ANSWERED);
    }
  }

  /** Completes with a failure. */
  public void fail(Throwable cause) {
    cancelTimer();
    if (super.completeExceptionally(cause)) {
      metrics.ended(
          startNanos,
          cause instanceof RpcConnectionException
              ? Outcome.CONNECTION_LOST
              : cause instanceof RpcTimeoutException ? Outcome.TIMED_OUT : Outcome.FAILED);
    }
  }

  /** Counts an ask its caller gave up, if {@code done}: the caller's call completed it. */
  private boolean abandoned(boolean done) {
    if (done) {
      metrics.ended(startNanos, Outcome.ABANDONED);
    }
    return done;
  }

  /**
   * A caller completing the future itself gives the ask up, as {@link #abort} does: its place among
   * the outstanding asks is freed and its reply no longer awaited. Returns false if the ask had
   * completed already.
   */
  @Override
  public boolean complete(T value) {
    if (!claim()) {
      return false;
    }
    forget();
    cancelTimer();
    return abandoned(super.complete(value));
  }

  /** Like {@link #complete}, with a failure. */
  @Override
  public boolean completeExceptionally(Throwable ex) {
    if (!claim()) {
      return false;
    }
    forget();
    cancelTimer();
    return abandoned(super.completeExceptionally(ex));
  }

  /** Refused: the outcome of an ask is not for its caller to overwrite. */
  @Override
  public void obtrudeValue(T value) {
    throw new UnsupportedOperationException(
        "The future of an ask cannot be overwritten ("
            + describe()
            + "); complete it, abort it or cancel it instead");
  }

  /** Refused, as {@link #obtrudeValue}. */
  @Override
  public void obtrudeException(Throwable ex) {
    throw new UnsupportedOperationException(
        "The future of an ask cannot be overwritten ("
            + describe()
            + "); complete it, abort it or cancel it instead");
  }

  /** Fails because the connection the ask depended on closed. */
  public void failConnectionClosed(RpcAddress connectionPeer, String reason, Throwable cause) {
    fail(
        new RpcConnectionException(
            reason + " before the reply to " + describe() + " arrived", connectionPeer, cause));
  }

  /** Timer expiry: fails with a timeout naming the peer, the endpoint and the setting. */
  @Override
  public void run(Timeout t) {
    if (claim()) {
      forget();
      metrics.ended(startNanos, Outcome.TIMED_OUT);
      super.completeExceptionally(
          timeout.timeoutException(
              "Cannot receive any reply from "
                  + (peer == null ? "this env" : peer.hostPort())
                  + " in "
                  + timeout.describe()
                  + " ("
                  + describe()
                  + ")"));
    }
  }

  @Override
  public CompletableFuture<T> future() {
    return this;
  }

  @Override
  public void abort(Throwable reason) {
    if (claim()) {
      forget();
      cancelTimer();
      abandoned(super.completeExceptionally(reason));
    }
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    if (!claim()) {
      return false;
    }
    forget();
    cancelTimer();
    return abandoned(super.cancel(mayInterruptIfRunning));
  }

  /** Dependent stages are plain futures: only this one is wired to the connection and the timer. */
  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }

  /** {@code ask of com.example.Msg to spark://name@host:port}. */
  public String describe() {
    return "ask of "
        + (messageClass == null ? "null" : messageClass.getName())
        + " to "
        + target.endpointAddress();
  }

  /** Frees the slot at once, so the caller may ask again; the reply is no longer awaited. */
  private void forget() {
    Owner o = owner;
    if (o != null) {
      freeSlot();
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
