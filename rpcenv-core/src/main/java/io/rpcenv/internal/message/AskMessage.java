package io.rpcenv.internal.message;

import io.rpcenv.RpcCallContext;
import io.rpcenv.RpcEndpoint;
import io.rpcenv.internal.dispatch.InboxMessage;
import io.rpcenv.internal.metrics.EndpointMetrics;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * An ask waiting in an inbox, and the context through which it is answered exactly once: the first
 * {@code reply} or {@code sendFailure} wins, a second one throws.
 */
abstract class AskMessage extends InboxMessage implements RpcCallContext {
  private static final VarHandle ANSWERED;

  static {
    try {
      ANSWERED = MethodHandles.lookup().findVarHandle(AskMessage.class, "answered", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused") // accessed through ANSWERED
  private volatile int answered;

  /**
   * Where the answer is counted: set when the ask reaches its endpoint, before the endpoint can
   * hand this context to another thread, so that thread sees it.
   */
  private @Nullable EndpointMetrics metrics;

  private boolean claim() {
    return ANSWERED.compareAndSet(this, 0, 1);
  }

  @Override
  public final void reply(Object response) {
    if (!claim()) {
      throw new IllegalStateException("The " + describe() + " was already answered");
    }
    try {
      doReply(response);
    } catch (RuntimeException | Error e) {
      count(false);
      throw e;
    }
    count(true);
  }

  private void count(boolean ok) {
    EndpointMetrics m = metrics;
    if (m != null) {
      if (ok) {
        m.answered();
      } else {
        m.failed();
      }
    }
  }

  @Override
  protected final int reaching(EndpointMetrics metrics) {
    this.metrics = metrics;
    return ASK;
  }

  @Override
  public final void sendFailure(Throwable cause) {
    if (cause == null) {
      throw new NullPointerException("cause");
    }
    if (!claim()) {
      throw new IllegalStateException("The " + describe() + " was already answered");
    }
    count(false);
    doFail(cause);
  }

  @Override
  protected final void invoke(RpcEndpoint endpoint, Object content) {
    endpoint.receiveAndReply(content, this);
  }

  @Override
  protected final void endpointFailed(Throwable error) {
    if (claim()) {
      count(false);
      doFail(error);
    }
  }

  /** Delivers the reply; throws (after failing the ask) if it cannot be sent. */
  protected abstract void doReply(Object response);

  /** Delivers the failure. */
  protected abstract void doFail(Throwable cause);
}
