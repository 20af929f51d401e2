/**
 * The wire: the protocol, connections and their pipelines (handshake, frame decoding and routing),
 * per-endpoint flow control, the asks each connection carries, keepalive, listening and dialing.
 *
 * <p>Not API: everything here may change in any release. Use {@code io.rpcenv} instead.
 */
package io.rpcenv.internal.transport;
