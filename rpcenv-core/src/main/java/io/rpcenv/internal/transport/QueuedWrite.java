package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.FileRegion;

/**
 * What a connection's {@link WriteQueue} holds, each written on the event loop in the order queued:
 * a message (through its endpoint's window), a reply or failure, or credit to give back.
 */
sealed interface QueuedWrite permits OutboundMessage, QueuedWrite.Reply, CreditGrant {
  /** Bytes counted against spark.rpc.outbox.maxBytes while it waits. */
  int bytes();

  /**
   * A RESPONSE or FAILURE frame, and for a {@link FileSlice} reply the file bytes that end it (else
   * null).
   */
  record Reply(ByteBuf frame, FileRegion tail) implements QueuedWrite {
    static Reply of(ByteBuf frame, FileSlice fileBytes) {
      return new Reply(frame, fileBytes == null ? null : fileBytes.region());
    }

    @Override
    public int bytes() {
      return frame.readableBytes() + (tail == null ? 0 : (int) tail.count());
    }

    /** Writes the frame (and its file bytes) without flushing, counting it. Event loop. */
    void writeTo(Channel ch, Traffic traffic) {
      traffic.wrote(bytes());
      ch.write(frame, ch.voidPromise());
      if (tail != null) {
        ch.write(tail, ch.voidPromise());
      }
    }

    void release() {
      frame.release();
      if (tail != null) {
        tail.release();
      }
    }
  }
}
