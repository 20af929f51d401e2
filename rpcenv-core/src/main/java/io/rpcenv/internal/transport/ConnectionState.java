package io.rpcenv.internal.transport;

/** Where a connection is in its life. */
enum ConnectionState {
  /** Connecting, or in its handshake: frames wait in the write queue. */
  CONNECTING,
  /** Handshake done: frames are written. */
  READY,
  /** Closed: nothing more is written, and what depended on it has failed. */
  CLOSED
}
