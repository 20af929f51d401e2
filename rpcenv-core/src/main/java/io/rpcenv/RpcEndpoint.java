package io.rpcenv;

import org.jspecify.annotations.Nullable;

/**
 * Code that receives messages under a name in an {@link RpcEnv}. Subclass it, override the
 * callbacks you need, and register an instance with {@link RpcEnv#setupEndpoint}.
 *
 * <h2>Lifecycle</h2>
 *
 * {@code onStart}, then any number of {@code receive}, {@code receiveAndReply}, {@code
 * onConnected}, {@code onDisconnected} and {@code onNetworkError}, then {@code onStop}. {@code
 * setupEndpoint} returns before {@code onStart} runs, but messages sent right away are handled
 * after it. {@code onStop} runs last, alone, after every message queued before the stop, and {@link
 * #self()} is null inside it.
 *
 * <h2>Threading</h2>
 *
 * A plain endpoint may run {@code receive} and {@code receiveAndReply} on several dispatcher
 * threads at once (all shared threads but one, so no single endpoint can hold them all), in any
 * order, once {@code onStart} has returned; it must be thread-safe. Implement {@link
 * ThreadSafeRpcEndpoint} to get one message at a time in FIFO order, or {@link IsolatedRpcEndpoint}
 * to get dedicated threads. Callbacks must not block for long on the shared dispatcher threads:
 * other endpoints wait for them. One that runs longer than {@code
 * spark.rpc.dispatcher.stallWarning} (10 s) is reported in the log, with where it waits.
 *
 * <h2>Errors</h2>
 *
 * An exception from {@code receiveAndReply} is sent to the asker and then passed to {@link
 * #onError}; an exception from any other callback goes to {@code onError}. The default {@code
 * onError} lets the env log the error at ERROR; an exception thrown by {@code onError} is logged
 * and swallowed. Errors such as {@link StackOverflowError} are reported to the asker and logged,
 * and the dispatcher carries on.
 */
public abstract class RpcEndpoint {
  volatile RpcEnv env;
  volatile RpcEndpointRef self;

  /** For subclasses. */
  protected RpcEndpoint() {}

  /**
   * The env this endpoint is registered with; throws {@link IllegalStateException} before
   * registration.
   */
  public final RpcEnv rpcEnv() {
    RpcEnv e = env;
    if (e == null) {
      throw new IllegalStateException(getClass().getName() + " is not registered with an RpcEnv");
    }
    return e;
  }

  /**
   * This endpoint's own ref: available from {@code onStart} on, null before registration and inside
   * {@code onStop}.
   */
  public final @Nullable RpcEndpointRef self() {
    return self;
  }

  /** Runs first, before any message. Default: nothing. */
  public void onStart() {}

  /**
   * Handles a one-way message sent with {@link RpcEndpointRef#send}. Default: throws, which the env
   * reports through {@link #onError}.
   */
  public void receive(Object message) {
    throw new RpcException(
        describe() + " does not implement 'receive' (got " + className(message) + ")");
  }

  /**
   * Handles an ask. Reply through {@code context}, now or later and from any thread. Default: fails
   * the ask with "won't reply anything".
   */
  public void receiveAndReply(Object message, RpcCallContext context) {
    context.sendFailure(
        new RpcException(describe() + " won't reply anything (got " + className(message) + ")"));
  }

  /**
   * Called with any exception thrown from the other callbacks. Default: rethrows it, so that the
   * env logs it at ERROR with the endpoint's name and carries on.
   */
  public void onError(Throwable cause) {
    throw Sneaky.<RuntimeException>rethrow(cause);
  }

  /**
   * A remote process connected to this env: called with the connection's address and, for a
   * server-mode peer whose listen address checked out (see {@link RpcCallContext#senderAddress}),
   * once more with that. Default: nothing.
   */
  public void onConnected(RpcAddress remoteAddress) {}

  /**
   * A remote process disconnected from this env, named as {@link #onConnected} named it (less a
   * listen address found false meanwhile). Default: nothing.
   */
  public void onDisconnected(RpcAddress remoteAddress) {}

  /** A connection to a remote process failed. Default: nothing. */
  public void onNetworkError(Throwable cause, RpcAddress remoteAddress) {}

  /** Runs last, alone; {@link #self()} is null here. Default: nothing. */
  public void onStop() {}

  /** Stops this endpoint if it is registered and running; does nothing otherwise. */
  public final void stop() {
    RpcEndpointRef ref = self;
    RpcEnv e = env;
    if (ref != null && e != null) {
      e.stop(ref);
    }
  }

  private String describe() {
    RpcEndpointRef ref = self;
    return ref != null ? ref.toString() : getClass().getName();
  }

  private static String className(Object message) {
    return message == null ? "null" : message.getClass().getName();
  }

  /** Rethrows any throwable without declaring it; the default {@code onError} needs this. */
  private static final class Sneaky {
    @SuppressWarnings("unchecked")
    static <E extends Throwable> E rethrow(Throwable t) throws E {
      throw (E) t;
    }
  }
}
