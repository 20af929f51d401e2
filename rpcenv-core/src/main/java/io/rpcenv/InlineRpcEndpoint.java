package io.rpcenv;

/**
 * Marks an {@link RpcEndpoint} whose messages from the network are handled on the I/O thread that
 * read them, with no hand-off to a dispatcher thread: the lowest latency rpcenv offers, for
 * endpoints that answer at once (an echo, a counter, a lookup in memory).
 *
 * <p>The contract is strict: {@code receive} and {@code receiveAndReply} must never block (no
 * {@code askSync}, no locks held long, no I/O), or every connection served by that I/O thread
 * stalls. They may run concurrently on several I/O threads, as for a plain endpoint. Messages from
 * the same env, and messages that arrive before {@code onStart} has returned or after a stop was
 * requested, go through the dispatcher as usual, so the lifecycle guarantees of {@link RpcEndpoint}
 * still hold. An inline endpoint cannot also be a {@link ThreadSafeRpcEndpoint} or an {@link
 * IsolatedRpcEndpoint}.
 */
public interface InlineRpcEndpoint {}
