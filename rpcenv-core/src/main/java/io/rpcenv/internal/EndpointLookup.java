package io.rpcenv.internal;

import io.rpcenv.RpcConnectionException;
import io.rpcenv.RpcEndpointAddress;
import io.rpcenv.RpcEndpointNotFoundException;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcTimeout;
import io.rpcenv.RpcTimeoutException;
import io.rpcenv.internal.transport.Backoff;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * One lookup by URI: asks the target env's verifier whether the endpoint exists, all within the
 * lookup timeout. Connection attempts are already retried by the transport; a lookup whose
 * established connection drops is retried here, since asking again is harmless.
 */
final class EndpointLookup {
  private final NettyRpcEnv env;
  private final String uri;
  private final int numRetries;
  private final Duration retryWait;
  private final RpcEndpointAddress target;
  private final RpcTimeout timeout;
  private final long deadline;
  private final CompletableFuture<RpcEndpointRef> result = new CompletableFuture<>();
  private int retries;

  EndpointLookup(NettyRpcEnv env, String uri, int numRetries, Duration retryWait) {
    this.env = env;
    this.uri = uri;
    this.numRetries = numRetries;
    this.retryWait = retryWait;
    this.target = RpcEndpointAddress.parse(uri); // a malformed URI fails the caller at once
    this.timeout = env.lookupTimeout();
    this.deadline =
        timeout.isInfinite() ? Long.MAX_VALUE : System.nanoTime() + timeout.duration().toNanos();
  }

  CompletableFuture<RpcEndpointRef> start() {
    attempt();
    result.whenComplete((ref, e) -> env.envMetrics().transport().lookup(e == null));
    return result;
  }

  private void attempt() {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      result.completeExceptionally(timedOut());
      return;
    }
    RpcTimeout left =
        timeout.isInfinite()
            ? timeout
            : new RpcTimeout(Duration.ofNanos(remaining), timeout.property());
    env.<Boolean>ask(
            env.refTo(target.address(), EndpointVerifier.NAME),
            new EndpointVerifier.CheckExistence(target.name()),
            left)
        .whenComplete(
            (found, error) -> {
              if (error == null) {
                if (Boolean.TRUE.equals(found)) {
                  result.complete(env.refTo(target.address(), target.name()));
                } else {
                  result.completeExceptionally(
                      new RpcEndpointNotFoundException("Cannot find endpoint: " + uri));
                }
                return;
              }
              Throwable e =
                  error instanceof CompletionException && error.getCause() != null
                      ? error.getCause()
                      : error;
              if (e instanceof RpcTimeoutException) {
                result.completeExceptionally(timedOut());
              } else if (retryable(e) && retries < numRetries && !env.isShutdown()) {
                retries++;
                long wait = Backoff.delayMillis(retryWait, retries);
                if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait) >= deadline) {
                  result.completeExceptionally(e);
                } else {
                  env.timer().newTimeout(t -> attempt(), wait, TimeUnit.MILLISECONDS);
                }
              } else {
                result.completeExceptionally(e);
              }
            });
  }

  /**
   * A connection that was up and dropped; a failed connect was already retried by the transport.
   */
  private static boolean retryable(Throwable e) {
    if (!(e instanceof RpcConnectionException)) {
      return false;
    }
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      if (c instanceof ConnectException) {
        return false;
      }
    }
    return true;
  }

  private RpcTimeoutException timedOut() {
    return timeout.timeoutException(
        "Cannot look up "
            + uri
            + ": no answer from "
            + target.address()
            + " in "
            + timeout.describe());
  }
}
