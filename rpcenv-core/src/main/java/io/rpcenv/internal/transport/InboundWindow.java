package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The receiving side of one endpoint's window on one connection: how many messages to the endpoint,
 * and what weight of them ({@link Protocol#weight}), the peer may have in progress here, and the
 * credit given back as they are handled. Credit goes back once a quarter of the window (in messages
 * or in bytes) has been handled, so a busy endpoint costs one small CREDIT frame per quarter
 * window, and the sender always has at least three quarters to use while the endpoint keeps up.
 * Arrivals are counted on the event loop; {@link #done} from any thread.
 */
public final class InboundWindow {
  /**
   * Handled and not yet given back: the count in the top {@value #COUNT_BITS} bits, the bytes in
   * the rest, so that a handled message costs one atomic add. A window is at most 2^20 messages
   * (checked with the setting), so a quarter of it fits, and 2^44 bytes is beyond any window.
   */
  private static final int COUNT_BITS = 20;

  private static final int BYTE_BITS = 64 - COUNT_BITS;
  private static final long ONE = 1L << BYTE_BITS;
  private static final long BYTES_MASK = ONE - 1;

  private final Connection connection;
  private final byte[] nameUtf8;
  private final long batchCount;
  private final long batchBytes;
  private final long windowBytes;
  private final AtomicLong handled = new AtomicLong();

  /** Event loop only: messages and bytes arrived, and what the peer was allowed so far. */
  private long arrived;

  private long allowed;
  private long arrivedBytes;
  private long creditedBytes;

  InboundWindow(Connection connection, String endpoint, int window, long windowBytes) {
    this.connection = connection;
    this.nameUtf8 = endpoint.getBytes(StandardCharsets.UTF_8);
    this.batchCount = Protocol.creditBatch(window);
    this.batchBytes = Protocol.creditBatch(windowBytes);
    this.windowBytes = windowBytes;
    this.allowed = window;
  }

  /**
   * Counts a message of {@code weight} that arrived; false if the peer wrote beyond the credit it
   * was given ({@link Protocol#fits}). Event loop.
   */
  boolean arrive(long weight) {
    long inProgress = bytesInProgress();
    arrivedBytes += weight;
    return ++arrived <= allowed && Protocol.fits(inProgress, weight, windowBytes);
  }

  /**
   * The message of {@code weight} that arrived for this endpoint has been handled (processed,
   * answered, refused or dropped): its place in the window is free again. Exactly once per message,
   * any thread.
   */
  public void done(long weight) {
    long now = handled.addAndGet(ONE + weight);
    if ((now >>> BYTE_BITS) >= batchCount || (now & BYTES_MASK) >= batchBytes) {
      long taken = handled.getAndSet(0);
      if (taken != 0) {
        connection.grantCredit(new CreditGrant(this, count(taken), bytes(taken)));
      }
    }
  }

  /** Takes what was handled and not yet given back, for a last CREDIT frame; 0 if nothing. */
  long takeHandled() {
    return handled.getAndSet(0);
  }

  /** The message count of what {@link #takeHandled} returned. */
  static int count(long handled) {
    return (int) (handled >>> BYTE_BITS);
  }

  /** The bytes of what {@link #takeHandled} returned. */
  static long bytes(long handled) {
    return handled & BYTES_MASK;
  }

  /**
   * The CREDIT frame giving {@code count} messages weighing {@code bytes} back, with the peer's
   * allowance raised by as much: it is written now. Event loop.
   */
  ByteBuf creditFrame(ByteBufAllocator alloc, int count, long bytes) {
    allowed += count;
    creditedBytes += bytes;
    return Frames.credit(alloc, nameUtf8, count, bytes);
  }

  /**
   * How many messages the peer has been allowed so far (the window and the credit written). Event
   * loop.
   */
  long allowed() {
    return allowed;
  }

  /** What the messages in progress weigh now, as this side counts them. Event loop. */
  long bytesInProgress() {
    return arrivedBytes - creditedBytes;
  }
}
