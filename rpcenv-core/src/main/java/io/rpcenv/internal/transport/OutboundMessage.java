package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;
import io.rpcenv.internal.call.PendingAsk;

/**
 * A REQUEST or ONE_WAY frame on its way out, with the endpoint window it must fit in: written when
 * the window has room, held in it until the peer gives credit back otherwise.
 */
final class OutboundMessage implements QueuedWrite {
  final SendWindow window;

  /** The ask whose request this is, or null for a one-way message. */
  final PendingAsk<?> ask;

  private ByteBuf frame;
  private final int bytes;

  OutboundMessage(SendWindow window, ByteBuf frame, PendingAsk<?> ask) {
    this.window = window;
    this.frame = frame;
    this.ask = ask;
    this.bytes = frame.readableBytes();
  }

  /** The frame's size, as counted against spark.rpc.outbox.maxBytes while it waits. */
  @Override
  public int bytes() {
    return bytes;
  }

  /** Whether this is an ask that timed out or was aborted before it could be written. */
  boolean abandoned() {
    return ask != null && ask.isClaimed();
  }

  /** The frame, handed over to whoever writes or releases it. */
  ByteBuf takeFrame() {
    ByteBuf f = frame;
    frame = null;
    return f;
  }
}
