package io.rpcenv.internal.dispatch;

import io.rpcenv.RpcEndpoint;
import io.rpcenv.RpcException;
import io.rpcenv.internal.metrics.EndpointMetrics;

/**
 * Something an endpoint is to handle: a message (local or remote, one-way or ask) or a network
 * event. Each is either processed once or rejected once, never both, so buffers it holds are
 * released exactly once.
 */
public abstract class InboxMessage {

  /** What {@link #reaching} returns for a network event. */
  public static final int EVENT = 0;

  /** What {@link #reaching} returns for a one-way message. */
  public static final int ONE_WAY = 1;

  /** What {@link #reaching} returns for an ask. */
  public static final int ASK = 2;

  /**
   * Called as the endpoint takes this up: says what it is ({@link #EVENT}, {@link #ONE_WAY}, {@link
   * #ASK}), so the inbox can count it, and lets an ask note where its answer is counted.
   */
  protected int reaching(EndpointMetrics metrics) {
    return EVENT;
  }

  /** The message object: deserialized here (on the dispatcher thread) for remote messages. */
  protected abstract Object content() throws Exception;

  /** Calls the endpoint. */
  protected abstract void invoke(RpcEndpoint endpoint, Object content);

  /** The endpoint threw from {@link #invoke}; an ask tells its asker, unless already answered. */
  protected void endpointFailed(Throwable error) {}

  /** {@link #content()} failed: tell the asker, or log for a one-way message. */
  protected abstract void undeliverable(Throwable error, String endpoint);

  /** The message will never be handled (endpoint gone, env stopping). */
  public abstract void reject(RpcException reason);

  /** Called once the endpoint has handled the message (whether or not it threw). */
  protected void afterProcessing() {}

  /** For logs: what this is and where it came from. */
  protected abstract String describe();
}
