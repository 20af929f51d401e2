package io.rpcenv;

import java.io.Serializable;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A handle on an endpoint, near or far, through which messages are sent to it. Thread-safe and
 * {@link Serializable}: a ref sent inside a message arrives usable at the other side, including a
 * ref to an endpoint of a client-mode env, which is then reached over the connection it came on.
 * Two refs are equal when they address the same endpoint ({@link #endpointAddress()}; refs to
 * client-mode endpoints are also told apart by the env they live in).
 *
 * <p>Futures returned by {@code ask} complete on an rpcenv thread (an I/O thread for remote
 * replies): continuations attached without an executor must not block. Use the {@code *Async(…,
 * executor)} variants for work that may block.
 */
public interface RpcEndpointRef extends Serializable {
  /** The address of the endpoint's env, or null for an endpoint of a client-mode env. */
  @Nullable RpcAddress address();

  /** The endpoint's name. */
  String name();

  /** {@code spark://name@host:port}, or {@code spark-client://name}. */
  default RpcEndpointAddress endpointAddress() {
    return new RpcEndpointAddress(address(), name());
  }

  /**
   * Sends a one-way message. Returns once the message is serialized and queued; it never blocks.
   * Delivery is at most once and in order per sender and endpoint: the message is not retried and
   * not confirmed, and it is lost only if its connection dies before the receiver handled it (such
   * losses are counted in the connection's closing log line). When the endpoint is not keeping up,
   * the message waits at the sender behind the endpoint's window ({@code
   * spark.rpc.io.maxInflightMessages}); messages to other endpoints do not wait for it. Throws
   * {@link RpcBackpressureException} when more than {@code spark.rpc.outbox.maxBytes} already wait
   * for that endpoint or that peer, {@link RpcSerializationException} for a message that cannot be
   * serialized, {@link RpcMessageTooLargeException} for one over {@code spark.rpc.message.maxSize},
   * {@link RpcEnvStoppedException} after shutdown, and, for a local endpoint, {@link
   * RpcEndpointNotFoundException} if it is gone.
   */
  void send(@Nullable Object message);

  /** Asks with this ref's default timeout ({@code spark.rpc.askTimeout}). */
  <T> CompletableFuture<T> ask(@Nullable Object message);

  /**
   * Sends {@code message} (may be null) once, never retried, and returns the reply. The future
   * fails with {@link RpcTimeoutException} after {@code timeout}, at once with {@link
   * RpcConnectionException} if the connection closes first, with {@link RpcRemoteException} if the
   * endpoint fails the ask, and with the other {@link RpcException}s described on {@link #send}.
   */
  <T> CompletableFuture<T> ask(@Nullable Object message, RpcTimeout timeout);

  /** Like {@link #ask(Object, RpcTimeout)}, with a handle to abort the ask. */
  <T> AbortableRpcFuture<T> askAbortable(Object message, RpcTimeout timeout);

  /** Asks and waits with this ref's default timeout. See {@link #askSync(Object, RpcTimeout)}. */
  <T> T askSync(@Nullable Object message);

  /**
   * Asks and waits for the reply, throwing the ask's failure (an {@link RpcException}) on the
   * calling thread. Throws {@link IllegalStateException} instead of blocking when called from an
   * rpcenv I/O thread, or from the thread that is the only one able to handle the ask (an endpoint
   * asking itself), where waiting could only end in a timeout.
   */
  <T> T askSync(@Nullable Object message, RpcTimeout timeout);

  /** The timeout used by {@link #ask(Object)} and {@link #askSync(Object)}. */
  RpcTimeout defaultAskTimeout();
}
