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
 * @param authKey the authentication key, or null when this env does not authenticate
 * @param tls the TLS contexts, or null when TLS is off
 * @param maxHandshaking most accepted connections in their handshake at once
 * @param maxOutboxBytes most bytes waiting to be written to one peer
 * @param maxOutstandingAsks most asks waiting for replies on one connection
 * @param maxInflightMessages most messages from one connection to one endpoint in progress (its
 *     window)
 * @param maxInflightBytes what those messages may weigh together
 * @param connectionTimeout silence after which a connection with outstanding asks is considered
 *     dead
 * @param keepalive whether quiet connections with outstanding asks are pinged
 * @param frameBudget most bytes the env buffers of frames still arriving, over all connections
 * @param frameTimeout longest one frame may take to arrive whole
 */
@SuppressWarnings("ArrayRecordComponent") // the key is never compared or printed
public record TransportSettings(
    String envName,
    long maxMessageSize,
    Duration handshakeTimeout,
    Duration connectTimeout,
    int numRetries,
    Duration retryWait,
    int backlog,
    int receiveBuffer,
    int sendBuffer,
    byte[] authKey,
    TlsContexts tls,
    int maxHandshaking,
    long maxOutboxBytes,
    int maxOutstandingAsks,
    int maxInflightMessages,
    long maxInflightBytes,
    Duration connectionTimeout,
    boolean keepalive,
    long frameBudget,
    Duration frameTimeout) {}
