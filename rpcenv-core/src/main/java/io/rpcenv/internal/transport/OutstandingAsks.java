package io.rpcenv.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.collection.LongObjectHashMap;
import io.rpcenv.RpcBackpressureException;
import io.rpcenv.RpcSerializationException;
import io.rpcenv.internal.call.PendingAsk;
import io.rpcenv.internal.metrics.TransportMetrics;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The asks of one connection, from being queued until their reply, failure, timeout or the end of
 * the connection (the job of Spark's {@code TransportResponseHandler}). It claims the reply or
 * failure that arrives for an ask and completes the ask itself, decoding with the env's {@link
 * ReplyDecoder}; it holds each ask's place among {@code spark.rpc.io.maxOutstandingAsks}; and it
 * fails every written ask when the connection closes. The table of written asks is touched on the
 * event loop only.
 */
final class OutstandingAsks implements PendingAsk.Owner {
  private final Connection connection;
  private final TransportMetrics metrics;
  private final ReplyDecoder decoder;
  private final int limit;
  private final long maxReplySize;

  /** Made with the first ask: an idle connection (a server has many) holds no table. */
  private LongObjectHashMap<PendingAsk<?>> written;

  /** Asks queued or written, for the limit. */
  private final AtomicInteger count = new AtomicInteger();

  private final AtomicLong ids = new AtomicLong();
  private final LateReplies late;

  /** The asks of {@code connection}, with {@code transport}'s limits, decoder and metrics. */
  OutstandingAsks(Connection connection, Transport transport) {
    this.metrics = transport.metrics();
    this.connection = connection;
    this.decoder = transport.replies();
    this.limit = transport.settings().maxOutstandingAsks();
    this.maxReplySize = transport.settings().maxMessageSize();
    this.late = new LateReplies(connection);
  }

  /** A fresh request id. */
  long nextId() {
    return ids.incrementAndGet();
  }

  /** Where the connection's figures are counted. */
  TransportMetrics metrics() {
    return metrics;
  }

  /** Asks queued or written and not yet answered, for the metrics. */
  int outstanding() {
    return count.get();
  }

  /** Takes a place for {@code ask}; if every place is taken, fails it and returns false. */
  boolean take(PendingAsk<?> ask) {
    if (count.incrementAndGet() <= limit) {
      return true;
    }
    count.decrementAndGet();
    metrics.backpressure();
    ask.fail(
        new RpcBackpressureException(
            "Too many asks to "
                + connection.peerAddress()
                + " are outstanding ("
                + limit
                + ", spark.rpc.io.maxOutstandingAsks); the "
                + ask.describe()
                + " was not sent"));
    return false;
  }

  /** Gives back the place of an ask that was refused before it was queued. */
  void giveBack() {
    count.decrementAndGet();
  }

  /** The request of {@code ask} is being written: from now on its reply is awaited. Event loop. */
  void written(PendingAsk<?> ask) {
    if (written == null) {
      written = new LongObjectHashMap<>();
    }
    written.put(ask.id(), ask);
  }

  /** Asks written and waiting for replies. Event loop. */
  int awaitingReplies() {
    return written == null ? 0 : written.size();
  }

  /** Replies that came after their asks stopped waiting. Event loop. */
  LateReplies late() {
    return late;
  }

  /**
   * A RESPONSE for {@code id} arrived: its ask completes with the decoded body. Event loop; {@code
   * body} is discarded.
   */
  void replyArrived(long id, MessageBody body) {
    try {
      PendingAsk<?> ask = claim(id, "reply");
      if (ask == null) {
        return;
      }
      if (body.size() > maxReplySize) {
        metrics.frameTooLarge();
        ask.fail(
            Frames.tooLarge(
                "reply from " + connection.peerAddress() + " to the " + ask.describe(),
                body.size(),
                maxReplySize,
                false));
        return;
      }
      Object reply;
      try {
        reply = decoder.decode(body, connection);
      } catch (Exception | LinkageError e) {
        ask.fail(
            new RpcSerializationException(
                "Cannot deserialize the reply to the "
                    + ask.describe()
                    + " from "
                    + connection.peerAddress()
                    + ": "
                    + e,
                e));
        return;
      }
      ask.succeed(reply);
    } finally {
      body.discard(); // nothing left if it was read
    }
  }

  /**
   * A FAILURE for {@code id} arrived; {@code frame} (not released here) is positioned after the id.
   * Event loop.
   */
  void failureArrived(long id, ByteBuf frame) {
    PendingAsk<?> ask = claim(id, "failure");
    if (ask != null) {
      ask.fail(
          FailureFrame.read(
              frame, decoder.serializer(), decoder.refsFrom(connection), ask.target()));
    }
  }

  /**
   * The ask waiting for {@code id}, no longer outstanding and claimed; null (counted as late) if it
   * stopped waiting.
   */
  private PendingAsk<?> claim(long id, String kind) {
    PendingAsk<?> ask = written == null ? null : written.remove(id);
    if (ask != null) {
      ask.freeSlot();
      if (ask.claim()) {
        return ask;
      }
    }
    late.arrived(kind, id);
    return null;
  }

  /**
   * Fails every written ask with {@code fail}; returns how many failed. Event loop (the connection
   * closed).
   */
  int failAll(Consumer<PendingAsk<?>> fail) {
    // Copied first: failing an ask runs its callbacks, which may abort others.
    PendingAsk<?>[] all =
        written == null ? new PendingAsk<?>[0] : written.values().toArray(new PendingAsk<?>[0]);
    if (written != null) {
      written.clear();
    }
    int failed = 0;
    for (PendingAsk<?> ask : all) {
      ask.freeSlot();
      if (ask.claim()) {
        failed++;
        fail.accept(ask);
      }
    }
    late.flush(System.nanoTime());
    return failed;
  }

  /**
   * Drops a completed (timed out, aborted) ask from those waiting for replies, on the event loop.
   */
  @Override
  public void forget(long id, PendingAsk<?> ask) {
    Channel ch = connection.channel();
    if (ch == null) {
      return; // never written: the writer or the close drops it from the queue
    }
    if (ch.eventLoop().inEventLoop()) {
      unregister(id, ask);
    } else {
      try {
        ch.eventLoop().execute(() -> unregister(id, ask));
      } catch (RejectedExecutionException envStopped) {
        // the event loop has ended, and every connection with it
      }
    }
  }

  private void unregister(long id, PendingAsk<?> ask) {
    if (written != null && written.get(id) == ask) {
      written.remove(id);
      ask.freeSlot();
    }
  }

  @Override
  public void slotFreed() {
    count.decrementAndGet();
  }
}
