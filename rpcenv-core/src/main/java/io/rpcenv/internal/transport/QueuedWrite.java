package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;

/**
 * What a connection's {@link WriteQueue} holds, each written on the event loop in the order queued:
 * a message (through its endpoint's window), a reply or failure, or credit to give back.
 */
sealed interface QueuedWrite permits OutboundMessage, QueuedWrite.Reply, CreditGrant {
  /** Bytes counted against spark.rpc.outbox.maxBytes while it waits. */
  int bytes();

  /** A RESPONSE or FAILURE frame. */
  record Reply(ByteBuf frame) implements QueuedWrite {
    @Override
    public int bytes() {
      return frame.readableBytes();
    }
  }
}
