package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The receiving side of one endpoint's window on one connection: how many messages to the endpoint
 * the peer may have in progress here, and the credit given back as they are handled. Credit goes
 * back in batches of a quarter of the window, so a busy endpoint costs one small CREDIT frame per
 * quarter window, and the sender always has at least three quarters to use while the endpoint keeps
 * up. Arrivals are counted on the event loop; {@link #done()} from any thread.
 */
public final class InboundWindow {
  private final Connection connection;
  private final byte[] nameUtf8;
  private final int batch;
  private final AtomicInteger handled = new AtomicInteger();

  /**
   * Messages arrived, and messages the peer may send in all (the window plus credit sent); event
   * loop only.
   */
  private long arrived;

  private long allowed;

  InboundWindow(Connection connection, String endpoint, int window) {
    this.connection = connection;
    this.nameUtf8 = endpoint.getBytes(StandardCharsets.UTF_8);
    this.batch = Math.max(1, window / 4);
    this.allowed = window;
  }

  /**
   * Counts a message that arrived; false if the peer wrote beyond the credit it was given. Event
   * loop.
   */
  boolean arrive() {
    return ++arrived <= allowed;
  }

  /**
   * The message that arrived for this endpoint has been handled (processed, answered, refused or
   * dropped): its place in the window is free again. Exactly once per message, any thread.
   */
  public void done() {
    if (handled.incrementAndGet() >= batch) {
      int n = handled.getAndSet(0);
      if (n > 0) {
        connection.grantCredit(new CreditGrant(this, n));
      }
    }
  }

  /** Takes what was handled and not yet given back, for a last CREDIT frame. */
  int takeHandled() {
    return handled.getAndSet(0);
  }

  /**
   * The CREDIT frame giving {@code count} messages back, with the peer's allowance raised by as
   * much: it is written now. Event loop.
   */
  ByteBuf creditFrame(ByteBufAllocator alloc, int count) {
    allowed += count;
    return Frames.credit(alloc, nameUtf8, count);
  }

  /**
   * How many messages the peer has been allowed so far (the window and the credit written). Event
   * loop.
   */
  long allowed() {
    return allowed;
  }
}
