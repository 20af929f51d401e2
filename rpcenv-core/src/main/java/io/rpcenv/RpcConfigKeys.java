package io.rpcenv;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Every setting rpcenv-core reads, declared once with its type, default and description. The
 * README's configuration table is checked against this class and {@link SecurityConfigKeys}
 * (authentication, TLS, the deserialization filter) by a test.
 *
 * <p>Names follow Apache Spark's, so an existing Spark configuration carries over; where rpcenv
 * behaves differently (sub-second timeouts, enforced message size, honoured retries) the
 * description says so.
 */
public final class RpcConfigKeys {
  private RpcConfigKeys() {}

  private static final long MIB = 1L << 20;

  /** Fallback for the ask, lookup and connection timeouts. */
  public static final ConfigKey<Duration> NETWORK_TIMEOUT =
      ConfigKey.time(
          "spark.network.timeout",
          TimeUnit.SECONDS,
          "120s",
          "Default for every network timeout that is not set on its own.");

  /** Default timeout of {@code ask}. */
  public static final ConfigKey<Duration> ASK_TIMEOUT =
      ConfigKey.time(
              "spark.rpc.askTimeout",
              TimeUnit.SECONDS,
              null,
              "How long an ask waits for its reply; sub-second values such as 500ms are honoured.")
          .fallbackTo(NETWORK_TIMEOUT);

  /** Timeout of endpoint lookups. */
  public static final ConfigKey<Duration> LOOKUP_TIMEOUT =
      ConfigKey.time(
              "spark.rpc.lookupTimeout",
              TimeUnit.SECONDS,
              null,
              "How long a lookup by URI may take in all, retries included.")
          .fallbackTo(NETWORK_TIMEOUT);

  /** Idle-connection timeout while asks are outstanding. */
  public static final ConfigKey<Duration> CONNECTION_TIMEOUT =
      ConfigKey.time(
              "spark.rpc.io.connectionTimeout",
              TimeUnit.SECONDS,
              null,
              "A connection with outstanding asks from which nothing arrives this long is closed "
                  + "and its asks fail; quiet connections without outstanding asks stay open.")
          .fallbackTo(NETWORK_TIMEOUT)
          .checked(RpcConfigKeys::positive);

  /** Keepalive pings. */
  public static final ConfigKey<Boolean> KEEPALIVE =
      ConfigKey.bool(
          "spark.rpc.io.keepalive",
          true,
          "Ping a connection with outstanding asks once it has been quiet for a quarter of"
              + " spark.rpc.io.connectionTimeout, so a live but busy peer is never mistaken for a"
              + " dead one.");

  /** TCP connect timeout. */
  public static final ConfigKey<Duration> CONNECTION_CREATION_TIMEOUT =
      ConfigKey.time(
              "spark.rpc.io.connectionCreationTimeout",
              TimeUnit.SECONDS,
              null,
              "How long one TCP connection attempt may take.")
          .fallbackTo(CONNECTION_TIMEOUT);

  /** Handshake deadline for new connections. */
  public static final ConfigKey<Duration> HANDSHAKE_TIMEOUT =
      ConfigKey.time(
          "spark.network.auth.rpcTimeout",
          TimeUnit.SECONDS,
          "30s",
          "Deadline for a new connection to complete its handshake; a peer that is silent longer is"
              + " disconnected.");

  /** Largest serialized message or reply. */
  public static final ConfigKey<Long> MESSAGE_MAX_SIZE =
      ConfigKey.size(
              "spark.rpc.message.maxSize",
              MIB,
              "128",
              "Largest serialized message or reply, in MiB unless a unit is given; enforced by"
                  + " sender and receiver.")
          .checked(v -> v <= 0 || v > 2047 * MIB ? "must be between 1 byte and 2047 MiB" : null);

  /** Shared dispatcher thread count. */
  public static final ConfigKey<Integer> DISPATCHER_THREADS =
      ConfigKey.integer(
              "spark.rpc.netty.dispatcher.numThreads",
              null,
              "Threads that run endpoint code shared by all non-isolated endpoints.")
          .computedDefault("max(2, cores)")
          .checked(RpcConfigKeys::positive);

  /** Role-specific dispatcher thread count for the driver. */
  public static final ConfigKey<Integer> DRIVER_DISPATCHER_THREADS =
      ConfigKey.integer(
              "spark.driver.rpc.netty.dispatcher.numThreads",
              null,
              "Overrides spark.rpc.netty.dispatcher.numThreads when spark.executor.id is"
                  + " \"driver\".")
          .checked(RpcConfigKeys::positive);

  /** Role-specific dispatcher thread count for executors. */
  public static final ConfigKey<Integer> EXECUTOR_DISPATCHER_THREADS =
      ConfigKey.integer(
              "spark.executor.rpc.netty.dispatcher.numThreads",
              null,
              "Overrides spark.rpc.netty.dispatcher.numThreads when spark.executor.id is set to"
                  + " anything but \"driver\".")
          .checked(RpcConfigKeys::positive);

  /** Reporting endpoint code that runs too long. */
  public static final ConfigKey<Duration> STALL_WARNING =
      ConfigKey.time(
              "spark.rpc.dispatcher.stallWarning",
              TimeUnit.SECONDS,
              "10s",
              "When one message (or onStart/onStop) has been running this long, log a warning"
                  + " naming the endpoint, its thread and where that thread is, and a line when it"
                  + " ends; 0 turns it off.")
          .checked(d -> d.isNegative() ? "must not be negative" : null);

  /** Bound on waiting for endpoints at shutdown. */
  public static final ConfigKey<Duration> ENDPOINT_STOP_TIMEOUT =
      ConfigKey.time(
              "spark.rpc.endpointStopTimeout",
              TimeUnit.SECONDS,
              "30s",
              "How long shutdown waits for endpoints to handle their queued messages and run"
                  + " onStop; endpoints still busy then are named in a warning, their queued"
                  + " messages fail, their threads are interrupted, and the env closes anyway.")
          .checked(RpcConfigKeys::positive);

  /** Netty event-loop thread count. */
  public static final ConfigKey<Integer> IO_THREADS =
      ConfigKey.integer(
              "spark.rpc.io.threads",
              null,
              "Network I/O threads of one env (server and client side share them).")
          .computedDefault("min(cores, 8)")
          .checked(RpcConfigKeys::positive);

  /** Transport implementation. */
  public static final ConfigKey<String> IO_MODE =
      ConfigKey.string(
              "spark.rpc.io.mode",
              "auto",
              "auto (native epoll when it loads, else NIO), epoll, io_uring (Netty 4.2's, where the"
                  + " kernel has it), or nio.")
          .checked(
              v ->
                  v.equalsIgnoreCase("auto")
                          || v.equalsIgnoreCase("epoll")
                          || v.equalsIgnoreCase("io_uring")
                          || v.equalsIgnoreCase("nio")
                      ? null
                      : "must be auto, epoll, io_uring or nio");

  /** Direct (off-heap) network buffers. */
  public static final ConfigKey<Boolean> PREFER_DIRECT_BUFS =
      ConfigKey.bool(
          "spark.rpc.io.preferDirectBufs", true, "Use direct (off-heap) network buffers.");

  /** Listen backlog. */
  public static final ConfigKey<Integer> BACKLOG =
      ConfigKey.integer(
          "spark.rpc.io.backLog",
          0,
          "Accept queue length of the listening socket; 0 keeps the operating system's default.");

  /** SO_RCVBUF. */
  public static final ConfigKey<Long> RECEIVE_BUFFER =
      ConfigKey.size(
          "spark.rpc.io.receiveBuffer",
          1,
          "0",
          "Socket receive buffer in bytes; 0 keeps the operating system's default.");

  /** SO_SNDBUF. */
  public static final ConfigKey<Long> SEND_BUFFER =
      ConfigKey.size(
          "spark.rpc.io.sendBuffer",
          1,
          "0",
          "Socket send buffer in bytes; 0 keeps the operating system's default.");

  /** Port bind retries. */
  public static final ConfigKey<Integer> PORT_MAX_RETRIES =
      ConfigKey.integer(
              "spark.port.maxRetries",
              16,
              "When a fixed port is taken, how many following ports to try before failing.")
          .checked(v -> v < 0 ? "must not be negative" : null);

  /** Retries for lookups and connection attempts. */
  public static final ConfigKey<Integer> NUM_RETRIES =
      ConfigKey.integer(
              "spark.rpc.numRetries",
              3,
              "Retries of a failed connection attempt or lookup (never of an ask, which may not be"
                  + " idempotent).")
          .checked(v -> v < 0 ? "must not be negative" : null);

  /** Base wait between retries. */
  public static final ConfigKey<Duration> RETRY_WAIT =
      ConfigKey.time(
          "spark.rpc.retry.wait",
          TimeUnit.SECONDS,
          "1s",
          "Longest wait before the first retry; each further retry doubles it (up to 30s); each"
              + " wait is drawn at random between a tenth of that and all of it.");

  /** Test mode: serialize local messages. */
  public static final ConfigKey<Boolean> SERIALIZE_LOCAL_MESSAGES =
      ConfigKey.bool(
          "spark.rpc.serializeLocalMessages",
          false,
          "Serialize messages between endpoints of one env too, so tests catch non-serializable"
              + " messages.");

  /** Pending handshakes. */
  public static final ConfigKey<Integer> MAX_HANDSHAKING_CONNECTIONS =
      ConfigKey.integer(
              "spark.rpc.io.maxHandshakingConnections",
              64,
              "Most accepted connections that may be in their handshake (or authentication) at"
                  + " once; more are closed.")
          .checked(RpcConfigKeys::positive);

  /** Outbox bound. */
  public static final ConfigKey<Long> OUTBOX_MAX_BYTES =
      ConfigKey.size(
              "spark.rpc.outbox.maxBytes",
              MIB,
              "256",
              "Most bytes waiting to be written to one peer, and most held for one of its endpoints"
                  + " that is not keeping up (MiB unless a unit is given); beyond either, sends and"
                  + " asks fail with RpcBackpressureException.")
          .checked(RpcConfigKeys::positive);

  /** Outstanding asks bound. */
  public static final ConfigKey<Integer> MAX_OUTSTANDING_ASKS =
      ConfigKey.integer(
              "spark.rpc.io.maxOutstandingAsks",
              65_536,
              "Most asks waiting for replies on one connection; beyond it new asks fail at once.")
          .checked(RpcConfigKeys::positive);

  /** Per-endpoint window: inbound messages in progress per connection and endpoint. */
  public static final ConfigKey<Integer> MAX_INFLIGHT_MESSAGES =
      ConfigKey.integer(
              "spark.rpc.io.maxInflightMessages",
              65_536,
              "Most messages from one connection to one endpoint queued or unanswered at once (the"
                  + " endpoint's window, with spark.rpc.io.maxInflightBytes); senders hold further"
                  + " messages to that endpoint until it catches up, and nothing else waits.")
          .checked(v -> v <= 0 || v > 1 << 20 ? "must be between 1 and 1048576" : null);

  /**
   * Per-endpoint window in bytes: what in-progress messages may hold per connection and endpoint.
   */
  public static final ConfigKey<Long> MAX_INFLIGHT_BYTES =
      ConfigKey.size(
              "spark.rpc.io.maxInflightBytes",
              MIB,
              "4",
              "Most bytes of messages from one connection to one endpoint queued or unanswered at"
                  + " once, counting each message's serialized size plus 128 bytes for holding it"
                  + " (MiB unless a unit is given); one message larger than this still passes"
                  + " alone.")
          .checked(RpcConfigKeys::positive);

  /** Memory for frames still arriving, over all connections. */
  public static final ConfigKey<Long> FRAME_BUDGET =
      ConfigKey.size(
              "spark.rpc.io.frameBudget",
              MIB,
              null,
              "Most memory one env holds for frames still arriving, over all its connections (MiB"
                  + " unless a unit is given); memory is taken as bytes arrive, and a connection"
                  + " that would go beyond it is not read until some frees up, except that one"
                  + " frame at a time may finish beyond it, so the largest allowed message gets"
                  + " through.")
          .computedDefault("a quarter of the maximum heap")
          .checked(RpcConfigKeys::positive);

  /** Deadline for one frame to arrive whole. */
  public static final ConfigKey<Duration> FRAME_TIMEOUT =
      ConfigKey.time(
              "spark.rpc.io.frameTimeout",
              TimeUnit.SECONDS,
              null,
              "Longest one frame may take to arrive, from its first byte to its last (time this env"
                  + " paused reading does not count); a connection whose frame takes longer is"
                  + " closed, asks outstanding or not.")
          .fallbackTo(CONNECTION_TIMEOUT)
          .checked(RpcConfigKeys::positive);

  /** The process's role, which selects role-specific thread settings. */
  public static final ConfigKey<String> EXECUTOR_ID =
      ConfigKey.string(
          "spark.executor.id",
          null,
          "This process's executor id (\"driver\" on the driver); selects the spark.driver.* or"
              + " spark.executor.* thread overrides.");

  static String positive(Number v) {
    return v.longValue() <= 0 ? "must be positive" : null;
  }

  static String positive(Duration d) {
    return d.isNegative() || d.isZero() ? "must be positive" : null;
  }

  /** All keys of rpcenv-core, in declaration order: these, then {@link SecurityConfigKeys}. */
  public static List<ConfigKey<?>> all() {
    List<ConfigKey<?>> all = new ArrayList<>(ConfigKey.declaredIn(RpcConfigKeys.class));
    all.addAll(ConfigKey.declaredIn(SecurityConfigKeys.class));
    return all;
  }
}
