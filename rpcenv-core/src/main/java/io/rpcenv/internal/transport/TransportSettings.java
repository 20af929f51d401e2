package io.rpcenv.internal.transport;

import java.time.Duration;

/**
 * The transport's settings, read once from the conf.
 *
 * @param envName the env's name, for logs and errors
 * @param maxMessageSize spark.rpc.message.maxSize in bytes
 * @param handshakeTimeout deadline for a new connection's handshake
 * @param connectTimeout deadline of one TCP connection attempt
 * @param numRetries connection attempts after the first
 * @param retryWait wait before the first retry; doubles each time up to 30s, with jitter
 * @param backlog listen backlog, 0 for the OS default
 * @param receiveBuffer SO_RCVBUF, 0 for the OS default
 * @param sendBuffer SO_SNDBUF, 0 for the OS default
 */
public record TransportSettings(
    String envName,
    long maxMessageSize,
    Duration handshakeTimeout,
    Duration connectTimeout,
    int numRetries,
    Duration retryWait,
    int backlog,
    int receiveBuffer,
    int sendBuffer) {}
