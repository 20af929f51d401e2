package io.rpcenv;

/**
 * Marks an {@link RpcEndpoint} that handles one message at a time, in the order they were received
 * (FIFO per sender connection), with a happens-before edge between consecutive messages, so its
 * fields need not be volatile or locked. Consecutive messages may run on different threads.
 */
public interface ThreadSafeRpcEndpoint {}
