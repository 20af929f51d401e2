package io.rpcenv.internal.transport;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import io.rpcenv.RpcTimeout;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds connections that died without closing (a peer frozen or a network that silently drops
 * packets) while asks wait on them, long before TCP would give up. Every quarter of {@code
 * spark.rpc.io.connectionTimeout} it looks at what the connection read since the last look. A
 * connection with outstanding asks that has been quiet gets a PING, which any live peer answers
 * from its I/O thread, however busy its endpoints are (reading never pauses for a slow endpoint:
 * flow control is per endpoint). It is judged dead only on evidence: the PING has left this side's
 * socket and nothing at all has arrived for the whole timeout (closed between 1 and 1.25 times the
 * timeout after the last frame); the asks then fail with a connection error naming the setting. A
 * PING still waiting to be written means the peer is not reading what we send: slow, not dead; asks
 * keep their own timeouts. Silence is counted only in time this process could listen: a look that
 * comes late (a GC pause, SIGSTOP, a starved machine) starts the count again, since what the peer
 * sent meanwhile may wait unread in the socket. Connections without outstanding asks are never
 * closed for being quiet. With {@code spark.rpc.io.keepalive=false} no PING is sent and Spark's
 * rule applies: quiet for the timeout, with asks outstanding and none written for as long. Event
 * loop only.
 */
final class Keepalive implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Keepalive.class);

  /** Checks per timeout; silent for more checks than this means dead. */
  static final int CHECKS_PER_TIMEOUT = 4;

  private final Connection connection;
  private final OutstandingAsks asks;
  private final Channel channel;
  private final Duration timeout;
  private final boolean ping;

  /** Asks written since the handshake (frames read are the connection's {@link Traffic}). */
  private long asksWritten;

  private long framesSeen;
  private long asksSeen;
  private long asksWhenLastHeard;
  private int quietChecks;
  private int checksSinceAsk;
  private boolean pingOutstanding;

  /** The outstanding PING has been written to the socket. */
  private boolean pingWritten;

  private long period;
  private long lastLook;

  /** Scheduled with the first ask: a connection that never asks has nothing to watch. */
  private volatile ScheduledFuture<?> task;

  private volatile boolean stopped;

  Keepalive(
      Connection connection,
      OutstandingAsks asks,
      Channel channel,
      Duration timeout,
      boolean ping) {
    this.connection = connection;
    this.asks = asks;
    this.channel = channel;
    this.timeout = timeout;
    this.ping = ping;
  }

  void start() {
    period = Math.max(TimeUnit.MILLISECONDS.toNanos(1), timeout.toNanos() / CHECKS_PER_TIMEOUT);
  }

  /** Any thread. */
  void stop() {
    stopped = true;
    ScheduledFuture<?> t = task;
    if (t != null) {
      t.cancel(false);
    }
  }

  /** An ask's request was written. Event loop. */
  void askWritten() {
    if (task == null && !stopped) {
      framesSeen = connection.traffic.framesIn(); // what came before the first ask is not news
      lastLook = System.nanoTime();
      // With a fixed delay, looks missed during a pause are not made up in a burst on resuming.
      task = channel.eventLoop().scheduleWithFixedDelay(this, period, period, TimeUnit.NANOSECONDS);
      if (stopped) {
        task.cancel(false); // stopped meanwhile from another thread
      }
    }
    asksWritten++;
  }

  void pongReceived() {
    pingOutstanding = false;
    pingWritten = false;
  }

  @Override
  public void run() {
    long now = System.nanoTime(); // one clock read per look, a few per timeout
    boolean late = now - lastLook > 2 * period;
    lastLook = now;
    asks.late().flushIfDue(now);
    long frames = connection.traffic.framesIn(); // counted by the connection's decoder
    long written = asksWritten;
    boolean heard = frames != framesSeen;
    checksSinceAsk = written != asksSeen ? 0 : checksSinceAsk + 1;
    framesSeen = frames;
    asksSeen = written;
    int waiting = asks.awaitingReplies();
    if (heard) {
      asksWhenLastHeard = written;
      quietChecks = 0;
      return;
    }
    if (late) { // this process was not listening: the silence since the last look proves nothing
      quietChecks = 0;
      checksSinceAsk = 0;
      return;
    }
    // Asks written since the peer was last heard from are expected to be answered even if they
    // have timed out meanwhile: their silence is what gives a dead connection away.
    if (waiting == 0 && !pingOutstanding && written == asksWhenLastHeard) {
      quietChecks = 0;
      return;
    }
    quietChecks++;
    if (ping && !pingOutstanding) {
      pingOutstanding = true;
      pingWritten = false;
      channel
          .writeAndFlush(Frames.ping(channel.alloc()))
          .addListener(
              sent -> {
                if (sent.isSuccess() && pingOutstanding) {
                  pingWritten = true;
                  asks.metrics().pingSent();
                }
              });
      return;
    }
    boolean dead =
        quietChecks >= CHECKS_PER_TIMEOUT
            && (ping ? pingWritten : checksSinceAsk >= CHECKS_PER_TIMEOUT);
    if (dead) {
      String why =
          "nothing arrived from "
              + connection.peerAddress()
              + " for "
              + RpcTimeout.of(timeout).describe()
              + (waiting > 0
                  ? " while " + waiting + " asks waited on it"
                  : " after it left asks unanswered")
              + (ping ? " and a keepalive ping went unanswered" : "")
              + " (spark.rpc.io.connectionTimeout); assuming the connection is dead";
      LOG.warn("Closing the connection: {}", why);
      if (ping) {
        asks.metrics().pingMissed();
      }
      connection.reason(why, null);
      stop();
      channel.close();
    }
  }
}
