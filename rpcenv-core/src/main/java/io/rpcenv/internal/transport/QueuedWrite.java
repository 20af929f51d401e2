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
    @Override
    public int bytes() {
      return bytes(frame, tail);
    }

    static int bytes(ByteBuf frame, FileRegion tail) {
      return frame.readableBytes() + (tail == null ? 0 : (int) tail.count());
    }

    /**
     * Writes a reply without flushing, counting it; static so that a reply written at once needs no
     * command object. Event loop.
     */
    static void write(Channel ch, Traffic traffic, ByteBuf frame, FileRegion tail) {
      traffic.wrote(bytes(frame, tail));
      ch.write(frame, ch.voidPromise());
      if (tail != null) {
        ch.write(tail, ch.voidPromise());
      }
    }

    static void release(ByteBuf frame, FileRegion tail) {
      frame.release();
      if (tail != null) {
        tail.release();
      }
    }
  }
}
