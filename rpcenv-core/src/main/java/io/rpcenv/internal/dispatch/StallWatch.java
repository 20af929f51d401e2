package io.rpcenv.internal.dispatch;

import io.netty.util.Timer;
import io.rpcenv.RpcTimeout;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports endpoint code that has been running on one thread for longer than a threshold ({@code
 * spark.rpc.dispatcher.stallWarning}): which endpoint, whether in a message or in onStart/onStop,
 * which thread and where that thread is, so a blocked endpoint is never silent. Reports once per
 * stalled message, and again when it finishes.
 *
 * <p>Called periodically from one thread (the env's timer) every quarter of the threshold. Each
 * thread only counts the starts and ends of endpoint code ({@link RpcThread#beginMessage}); a count
 * that stays odd and unchanged for the threshold is a stall, so the threads pay two opaque long
 * stores per message and no clock read.
 */
public final class StallWatch {
  private static final Logger LOG = LoggerFactory.getLogger(StallWatch.class);

  /** Frames of the stalled thread's stack shown in the report. */
  private static final int FRAMES = 12;

  /** Where reports go: the log, or a test. */
  public record Sink(Consumer<String> stalled, Consumer<String> recovered) {}

  /** Reports to this class's logger: WARN for a stall, INFO when it ends. */
  public static final Sink LOG_SINK = new Sink(LOG::warn, LOG::info);

  private final long thresholdNanos;
  private final String thresholdText;
  private final Supplier<? extends Iterable<Thread>> threads;
  private final Sink sink;

  /**
   * Per thread: the message number first seen running, and since when. Used by the checking thread
   * only.
   */
  private final IdentityHashMap<RpcThread, Seen> seen = new IdentityHashMap<>();

  private static final class Seen {
    long seq;
    long sinceNanos;
    boolean reported;
    String what;
  }

  /**
   * @param thresholdNanos how long one message may run before it is reported
   * @param thresholdText the threshold as configured, for reports
   * @param threads the env's threads; those that are not {@link RpcThread}s are ignored
   */
  public StallWatch(
      long thresholdNanos,
      String thresholdText,
      Supplier<? extends Iterable<Thread>> threads,
      Sink sink) {
    this.thresholdNanos = thresholdNanos;
    this.thresholdText = thresholdText;
    this.threads = threads;
    this.sink = sink;
  }

  /**
   * Watches {@code threads}, logging what runs longer than {@code threshold}; nothing when it is
   * zero (spark.rpc.dispatcher.stallWarning turned off).
   */
  public static void logTo(
      Duration threshold, Supplier<? extends Iterable<Thread>> threads, Timer timer) {
    if (!threshold.isZero()) {
      new StallWatch(threshold.toNanos(), RpcTimeout.of(threshold).describe(), threads, LOG_SINK)
          .runOn(timer);
    }
  }

  /** How often {@link #check} should run. */
  public long periodNanos() {
    return Math.max(TimeUnit.MILLISECONDS.toNanos(10), thresholdNanos / 4);
  }

  /**
   * Runs {@link #check} on {@code timer} every {@link #periodNanos()} until the timer is stopped.
   */
  public void runOn(Timer timer) {
    try {
      timer.newTimeout(
          t -> {
            try {
              check(System.nanoTime());
            } catch (RuntimeException e) {
              LOG.debug("Stall check failed; trying again next period", e);
            }
            runOn(timer);
          },
          periodNanos(),
          TimeUnit.NANOSECONDS);
    } catch (IllegalStateException stopped) {
      // the env is shutting down and its timer has stopped: nothing left to watch
    }
  }

  /** Looks at every thread once; {@code nowNanos} is {@link System#nanoTime()}. */
  public void check(long nowNanos) {
    for (Thread t : threads.get()) {
      if (t instanceof RpcThread thread) {
        check(thread, nowNanos);
      }
    }
  }

  private void check(RpcThread thread, long now) {
    long seq = thread.messageSeq();
    boolean running = (seq & 1) != 0;
    Seen s = seen.get(thread);
    if (s != null && s.seq != seq) {
      seen.remove(thread);
      if (s.reported) {
        sink.recovered()
            .accept(
                s.what
                    + " finished after about "
                    + seconds(now - s.sinceNanos)
                    + " on thread "
                    + thread.getName());
      }
      s = null;
    }
    if (!running || !thread.isAlive()) {
      return;
    }
    if (s == null) {
      s = new Seen();
      s.seq = seq;
      s.sinceNanos = now;
      seen.put(thread, s);
      return;
    }
    if (!s.reported && now - s.sinceNanos >= thresholdNanos) {
      s.reported = true;
      Inbox inbox = thread.currentInbox() instanceof Inbox i ? i : null;
      if (inbox != null) {
        inbox.metrics().stalled();
      }
      s.what = "Endpoint " + (inbox != null ? inbox.describe() : "?") + " " + doing(thread);
      sink.stalled().accept(report(thread, s.what));
    }
  }

  /**
   * What {@code inbox}'s endpoint is running right now and on which threads, for logs; "" if
   * nothing.
   */
  public static String running(Inbox inbox, Iterable<Thread> threads) {
    StringBuilder b = new StringBuilder();
    for (Thread t : threads) {
      if (t instanceof RpcThread thread
          && thread.currentInbox() == inbox
          && (thread.messageSeq() & 1) != 0) {
        b.append(b.isEmpty() ? "" : ", ")
            .append(doing(thread))
            .append(" on thread ")
            .append(thread.getName());
      }
    }
    return b.toString();
  }

  private static String doing(RpcThread thread) {
    String lifecycle = thread.lifecycle();
    return lifecycle != null ? "in " + lifecycle : "handling a message";
  }

  private String report(RpcThread thread, String what) {
    StringBuilder b =
        new StringBuilder(what)
            .append(" has been running for more than ")
            .append(thresholdText)
            .append(" on thread ")
            .append(thread.getName())
            .append(thread.isIo() ? ", an I/O thread: every connection it serves waits" : "")
            .append(
                " (spark.rpc.dispatcher.stallWarning). Endpoint code that blocks holds a dispatcher"
                    + " thread; reply later from another thread through the RpcCallContext, or make"
                    + " the endpoint an IsolatedRpcEndpoint. The thread is at:");
    StackTraceElement[] stack = thread.getStackTrace();
    for (int i = 0; i < Math.min(FRAMES, stack.length); i++) {
      StackTraceElement e = stack[i];
      // class.method(File:line), without the module and class-loader prefixes of toString()
      b.append("\n\tat ")
          .append(e.getClassName())
          .append('.')
          .append(e.getMethodName())
          .append('(')
          .append(
              e.isNativeMethod()
                  ? "native"
                  : e.getFileName() == null
                      ? "unknown source"
                      : e.getFileName() + ":" + e.getLineNumber())
          .append(')');
    }
    if (stack.length > FRAMES) {
      b.append("\n\t... ").append(stack.length - FRAMES).append(" more");
    }
    return b.toString();
  }

  private static String seconds(long nanos) {
    long ms = TimeUnit.NANOSECONDS.toMillis(nanos);
    return ms < 10_000 ? String.format("%.1f s", ms / 1000.0) : (ms / 1000) + " s";
  }
}
