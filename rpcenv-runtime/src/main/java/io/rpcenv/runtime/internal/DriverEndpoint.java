package io.rpcenv.runtime.internal;

import io.rpcenv.IsolatedRpcEndpoint;
import io.rpcenv.RpcAddress;
import io.rpcenv.RpcCallContext;
import io.rpcenv.RpcEndpoint;
import io.rpcenv.RpcException;
import io.rpcenv.ThreadSafeRpcEndpoint;
import io.rpcenv.plugin.ExecutorInfo;
import io.rpcenv.runtime.internal.Messages.AppConf;
import io.rpcenv.runtime.internal.Messages.CheckExpiry;
import io.rpcenv.runtime.internal.Messages.ExecutorExiting;
import io.rpcenv.runtime.internal.Messages.FetchConf;
import io.rpcenv.runtime.internal.Messages.Heartbeat;
import io.rpcenv.runtime.internal.Messages.RegisterExecutor;
import io.rpcenv.runtime.internal.Messages.StopExecutor;
import io.rpcenv.runtime.internal.Messages.StopExecutors;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's endpoint for executors: hands out the conf, registers executors, takes heartbeats,
 * and removes executors that exit, lose their connection or fall silent. On its own thread (so
 * heartbeats are never stuck behind other endpoints' work) and one message at a time, so its state
 * needs no locks; others read the live set through {@link #live()}.
 */
public final class DriverEndpoint extends RpcEndpoint
    implements ThreadSafeRpcEndpoint, IsolatedRpcEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(DriverEndpoint.class);

  /** What the driver does when an executor comes or goes. */
  public interface Listener {
    void added(ExecutorInfo executor);

    void removed(ExecutorInfo executor, String reason);
  }

  private final String appId;
  private final Supplier<Map<String, String>> settings;
  private final Duration timeout;
  private final long checkEveryNanos;
  private final Listener listener;

  /** When the last expiry check ran, or 0 before the first. */
  private long lastCheckNanos;

  private final Map<String, LiveExecutor> live = new ConcurrentHashMap<>();

  /** The executors removed last, newest first, at most {@link #REMEMBERED}. */
  private final Deque<RemovedExecutor> removed = new ConcurrentLinkedDeque<>();

  /** How many removed executors the driver remembers, for the status page. */
  static final int REMEMBERED = 100;

  /** Proves a control message came from this process; never sent anywhere. */
  private final String token = newToken();

  private boolean stopping;
  private final LongSupplier clock;

  /**
   * @param settings the driver's settings, as handed to executors (including plugins' extra conf)
   * @param timeout silence after which an executor is expired ({@code spark.network.timeout})
   * @param checkEvery how often the expiry check is sent ({@code spark.network.timeoutInterval})
   */
  public DriverEndpoint(
      String appId,
      Supplier<Map<String, String>> settings,
      Duration timeout,
      Duration checkEvery,
      Listener listener) {
    this(appId, settings, timeout, checkEvery, listener, System::nanoTime);
  }

  /** As above, with the clock silence is measured on (tests pass a fake one). */
  DriverEndpoint(
      String appId,
      Supplier<Map<String, String>> settings,
      Duration timeout,
      Duration checkEvery,
      Listener listener,
      LongSupplier clock) {
    this.appId = appId;
    this.settings = settings;
    this.timeout = timeout;
    this.checkEveryNanos = checkEvery.toNanos();
    this.listener = listener;
    this.clock = clock;
  }

  private static String newToken() {
    byte[] b = new byte[16];
    new SecureRandom().nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }

  /** The registered executors, by id; written only by this endpoint. */
  public Map<String, LiveExecutor> live() {
    return live;
  }

  /**
   * The order, for this endpoint only, to tell every executor to stop and refuse new ones. It
   * carries the endpoint's token: the driver's process hands it to this endpoint and nowhere else.
   */
  public StopExecutors stopOrder() {
    return new StopExecutors(token);
  }

  /**
   * The periodic order, for this endpoint only, to expire executors that fell silent; with the
   * token too.
   */
  public CheckExpiry expiryCheck() {
    return new CheckExpiry(token);
  }

  @Override
  public void receiveAndReply(Object message, RpcCallContext context) {
    if (message instanceof FetchConf) {
      context.reply(new AppConf(appId, settings.get()));
    } else if (message instanceof RegisterExecutor r) {
      register(r, context);
    } else if (message instanceof Heartbeat h) {
      LiveExecutor l = live.get(h.executorId());
      if (l != null && !fromItsConnection(l, "a heartbeat", context)) {
        return;
      }
      if (l != null) {
        l.heartbeat(clock.getAsLong(), h.metrics());
      }
      context.reply(l != null);
    } else if (message instanceof ExecutorExiting e) {
      LiveExecutor l = live.get(e.executorId());
      if (l != null && fromItsConnection(l, "its exit", context)) {
        remove(e.executorId(), "exited: " + e.reason());
        context.reply(true);
      } else if (l == null) {
        context.reply(false);
      }
    } else {
      context.sendFailure(new IllegalArgumentException("The driver does not answer " + message));
    }
  }

  /**
   * Whether an executor's message came over the connection it registered from; if not, the sender
   * is told why and the message has no effect.
   */
  private boolean fromItsConnection(LiveExecutor l, String what, RpcCallContext context) {
    RpcAddress sender = context.senderAddress();
    if (l.address().equals(sender)) {
      return true;
    }
    LOG.warn(
        "Ignored {} for executor {} from {}: it registered from {}",
        what,
        l.info().executorId(),
        sender,
        l.address());
    context.sendFailure(
        new IllegalArgumentException(
            "Executor "
                + l.info().executorId()
                + " registered from "
                + l.address()
                + "; "
                + what
                + " from "
                + sender
                + " is not accepted"));
    return false;
  }

  private void register(RegisterExecutor r, RpcCallContext context) {
    String id = r.info().executorId();
    if (stopping) {
      context.sendFailure(
          new IllegalStateException(
              "The driver is shutting down; executor " + id + " cannot register"));
      return;
    }
    LiveExecutor existing = live.get(id);
    if (existing != null) {
      context.sendFailure(
          new IllegalArgumentException(
              "Executor id '"
                  + id
                  + "' is already registered (on host "
                  + existing.info().host()
                  + "); give each executor a distinct --id"));
      return;
    }
    live.put(
        id,
        new LiveExecutor(
            r.info(), r.executor(), r.plugins(), context.senderAddress(), clock.getAsLong()));
    LOG.info("Executor {} registered from {} ({} cores)", id, r.info().host(), r.info().cores());
    context.reply(true);
    listener.added(r.info());
  }

  @Override
  public void receive(Object message) {
    if (message instanceof StopExecutors s && ownToken(s.token(), s)) {
      stopping = true;
      for (LiveExecutor l : new ArrayList<>(live.values())) {
        try {
          l.executor().send(new StopExecutor("the driver is shutting down"));
        } catch (RpcException ex) {
          remove(l.info().executorId(), "lost: " + ex.getMessage());
        }
      }
    } else if (message instanceof CheckExpiry c && ownToken(c.token(), c)) {
      expireSilent();
    } else if (!(message instanceof StopExecutors || message instanceof CheckExpiry)) {
      LOG.warn(
          "The driver ignored a message of type {}",
          message == null ? "null" : message.getClass().getName());
    }
  }

  /**
   * Whether a control message carries this endpoint's token, that is, came from this process; one
   * from the network is refused with a warning.
   */
  private boolean ownToken(String presented, Object message) {
    if (MessageDigest.isEqual(
        token.getBytes(StandardCharsets.US_ASCII),
        String.valueOf(presented).getBytes(StandardCharsets.US_ASCII))) {
      return true;
    }
    LOG.warn(
        "The driver refused a {} message that did not come from its own process: only the driver"
            + " itself may send it (turn on spark.authenticate where strangers can reach the"
            + " driver's port)",
        message.getClass().getSimpleName());
    return false;
  }

  private void expireSilent() {
    long now = clock.getAsLong();
    forgivePause(now);
    List<LiveExecutor> expired = new ArrayList<>();
    for (LiveExecutor l : live.values()) {
      if (now - l.lastSeenNanos() > timeout.toNanos()) {
        expired.add(l);
      }
    }
    for (LiveExecutor l : expired) {
      long silentMs = Duration.ofNanos(now - l.lastSeenNanos()).toMillis();
      remove(
          l.info().executorId(),
          "heartbeat timed out: silent for "
              + silentMs
              + " ms, more than "
              + "spark.network.timeout ("
              + timeout.toMillis()
              + " ms)");
      try {
        l.executor().send(new StopExecutor("expired by the driver"));
      } catch (RpcException ignored) {
        // it is gone anyway
      }
    }
  }

  /**
   * Silence is judged by time this process could listen. A check that comes more than half an
   * interval late means the driver was not running (a GC pause, SIGSTOP, a starved machine), and
   * the heartbeats sent meanwhile may still wait unread in its sockets: that time is not held
   * against any executor.
   */
  private void forgivePause(long now) {
    long last = lastCheckNanos;
    lastCheckNanos = now;
    if (last == 0) {
      return;
    }
    long late = now - last - checkEveryNanos;
    if (late <= checkEveryNanos / 2) {
      return;
    }
    LOG.info(
        "The driver did not run for about {} ms (its expiry check came that late: a pause of the"
            + " process or the machine); executors are not held responsible for that silence",
        Duration.ofNanos(late).toMillis());
    for (LiveExecutor l : live.values()) {
      l.seen(Math.min(now, l.lastSeenNanos() + late));
    }
  }

  @Override
  public void onDisconnected(RpcAddress remoteAddress) {
    for (LiveExecutor l : new ArrayList<>(live.values())) {
      if (remoteAddress.equals(l.address())) {
        remove(l.info().executorId(), "lost: its connection (" + remoteAddress + ") closed");
      }
    }
  }

  private void remove(String executorId, String reason) {
    LiveExecutor l = live.remove(executorId);
    if (l == null) {
      return;
    }
    if (reason.startsWith("exited") || stopping) {
      LOG.info("Executor {} removed: {}", executorId, reason);
    } else {
      LOG.warn("Executor {} removed: {}", executorId, reason);
    }
    removed.addFirst(new RemovedExecutor(l.info(), reason, Instant.now()));
    while (removed.size() > REMEMBERED) {
      removed.pollLast();
    }
    listener.removed(l.info(), reason);
  }

  /** The executors removed last, newest first (at most a hundred). */
  public List<RemovedExecutor> removed() {
    return List.copyOf(removed);
  }
}
