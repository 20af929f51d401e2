package io.rpcenv.internal.transport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * The sending side of one endpoint's window on one connection: the credit the peer has given for
 * messages to that endpoint (a count, and a weight in bytes, see {@link Protocol#weight}), and the
 * messages held here until it gives more. Held messages keep their order and count against {@code
 * spark.rpc.outbox.maxBytes} for this endpoint alone, so a slow endpoint holds back the senders to
 * it and no one else. Event loop only, except {@link #heldBytes()}, which senders read to refuse
 * what would not fit.
 */
final class SendWindow {
  private final String endpoint;
  private final ArrayDeque<OutboundMessage> held = new ArrayDeque<>();

  /**
   * Written on the event loop only, published with a release store (no fence per message); see
   * {@link #heldBytes()}.
   */
  private long heldBytes;

  private static final VarHandle HELD_BYTES;

  static {
    try {
      HELD_BYTES = MethodHandles.lookup().findVarHandle(SendWindow.class, "heldBytes", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private int credit;

  /** The peer's byte window, and the weight written and not yet given back. */
  private long windowBytes;

  private long inFlightBytes;

  /** Header bytes of a ONE_WAY frame to this endpoint, up to and with the body's tag. */
  private final int oneWayHeader;

  private boolean opened;
  private long written;
  private long oneWaysWritten;
  private long returned;

  SendWindow(String endpoint) {
    this.endpoint = endpoint;
    this.oneWayHeader =
        Protocol.FRAME_HEADER + 2 + endpoint.getBytes(StandardCharsets.UTF_8).length + 1;
  }

  String endpoint() {
    return endpoint;
  }

  /** Bytes of the messages held here; any thread. */
  long heldBytes() {
    return (long) HELD_BYTES.getAcquire(this);
  }

  private void held(long delta) {
    HELD_BYTES.setRelease(this, heldBytes + delta);
  }

  /**
   * Takes credit for {@code m} if the window has room and nothing is held ahead of it; else holds
   * {@code m} and returns false. {@code peer} announced the window in its HELLO.
   */
  boolean admit(OutboundMessage m, Hello peer) {
    if (!opened) {
      opened = true;
      credit = peer.window();
      windowBytes = peer.windowBytes();
    }
    if (held.isEmpty() && take(m)) {
      return true;
    }
    dropAbandonedHead();
    held.addLast(m);
    held(m.bytes());
    return false;
  }

  /**
   * Takes the credit {@code m} needs, if there is room: a message while fewer than the window are
   * in flight, weighing what {@link Protocol#fits} the byte window (so a message larger than the
   * window still passes, once little else is in flight).
   */
  private boolean take(OutboundMessage m) {
    long w = weight(m);
    if (credit > 0 && Protocol.fits(inFlightBytes, w, windowBytes)) {
      credit--;
      inFlightBytes += w;
      return true;
    }
    return false;
  }

  /** What {@code m} weighs in the peer's window: its body after the tag, plus the fixed cost. */
  private long weight(OutboundMessage m) {
    return Protocol.weight(m.bytes() - oneWayHeader - (m.ask != null ? 8 : 0));
  }

  /**
   * Gives back the credit taken for a message that was not written after all (an abandoned ask).
   */
  void unadmit(OutboundMessage m) {
    credit++;
    inFlightBytes -= weight(m);
  }

  /** Counts a message written to the socket under this window. */
  void written(boolean oneWay) {
    written++;
    if (oneWay) {
      oneWaysWritten++;
    }
  }

  /** The peer handled {@code count} more messages to this endpoint, weighing {@code bytes}. */
  void credit(int count, long bytes) {
    credit += count;
    inFlightBytes -= bytes;
    returned += count;
  }

  /** The next held message that the window has room for, with its credit taken; or null. */
  OutboundMessage nextReleased() {
    for (; ; ) {
      OutboundMessage m = held.peekFirst();
      if (m == null) {
        return null;
      }
      if (m.abandoned()) {
        held.pollFirst();
        held(-m.bytes());
        discard(m);
        continue;
      }
      if (!take(m)) {
        return null;
      }
      held.pollFirst();
      held(-m.bytes());
      return m;
    }
  }

  /** Every held message, removed (the connection closed). */
  OutboundMessage pollHeld() {
    OutboundMessage m = held.pollFirst();
    if (m != null) {
      held(-m.bytes());
    }
    return m;
  }

  /**
   * One-way messages written here that the peer has not confirmed as handled: at most the messages
   * it has not given credit back for. Those are what a dying connection may lose.
   */
  long unconfirmedOneWays() {
    return Math.min(oneWaysWritten, written - returned);
  }

  /**
   * Held asks time out in the order they were held; dropping them from the front keeps the queue
   * honest.
   */
  private void dropAbandonedHead() {
    OutboundMessage first;
    while ((first = held.peekFirst()) != null && first.abandoned()) {
      held.pollFirst();
      held(-first.bytes());
      discard(first);
    }
  }

  private static void discard(OutboundMessage m) {
    m.takeFrame().release();
    m.ask.freeSlot();
  }
}
