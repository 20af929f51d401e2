package io.rpcenv.internal.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;

/**
 * Whether the event loop reads from one connection. Reading stops while any reason holds the gate
 * closed and resumes when the last one lets go, so reasons never undo each other (today there is
 * one: the env's memory for arriving frames is spent; flow control of messages is per endpoint, see
 * {@link SendWindow}, and never stops a whole connection). It sits first in the pipeline and also
 * holds back the reads that handlers request on their own (a decoder that emitted nothing asks for
 * more when auto-read is off), which would otherwise read on regardless. Changed on the event loop
 * only; read anywhere.
 */
final class ReadGate extends ChannelOutboundHandlerAdapter {
  /** The env's memory for arriving frames is spent (spark.rpc.io.frameBudget). */
  static final int BUDGET = 2;

  private final Channel channel;
  private volatile int closedBy;

  ReadGate(Channel channel) {
    this.channel = channel;
  }

  /** Stops reading for {@code reason}. Event loop only. */
  void close(int reason) {
    int before = closedBy;
    closedBy = before | reason;
    if (before == 0) {
      channel.config().setAutoRead(false);
    }
  }

  /** Lets go for {@code reason}; reading resumes if no other reason holds. Event loop only. */
  void open(int reason) {
    int before = closedBy;
    int after = before & ~reason;
    closedBy = after;
    if (before != 0 && after == 0) {
      reopen();
    }
  }

  /**
   * Reads whatever the peer sends from now on, whatever held the gate: the connection is closing.
   */
  void drain() {
    int before = closedBy;
    closedBy = 0;
    if (before != 0) {
      reopen();
    } else {
      channel.config().setAutoRead(true);
    }
  }

  private void reopen() {
    if (channel.isActive()) {
      channel.config().setAutoRead(true); // reads at once
    }
  }

  @Override
  public void read(ChannelHandlerContext ctx) {
    if (closedBy != 0) {
      return; // held: reopening turns auto-read back on, which reads at once
    }
    ctx.read();
  }
}
