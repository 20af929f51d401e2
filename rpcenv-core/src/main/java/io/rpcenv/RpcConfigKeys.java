package io.rpcenv;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Every setting rpcenv-core reads, declared once with its type, default and description. The
 * README's configuration table is checked against this class by a test.
 *
 * <p>Names follow Apache Spark's, so an existing Spark configuration carries over; where rpcenv
 * behaves differently (sub-second timeouts, enforced message size, honoured retries) the
 * description says so.
 */
public final class RpcConfigKeys {
  private RpcConfigKeys() {}

  private static final long MIB = 1L << 20;

  /** Fallback for the ask, lookup and connection timeouts. */
  public static final ConfigKey<Duration> NETWORK_TIMEOUT = ConfigKey.time("spark.network.timeout",
      TimeUnit.SECONDS, "120s", "Default for every network timeout that is not set on its own.");

  /** Default timeout of {@code ask}. */
  public static final ConfigKey<Duration> ASK_TIMEOUT = ConfigKey.time("spark.rpc.askTimeout",
      TimeUnit.SECONDS, null, "How long an ask waits for its reply; sub-second values such as 500ms are honoured.")
      .fallbackTo(NETWORK_TIMEOUT);

  /** Timeout of endpoint lookups. */
  public static final ConfigKey<Duration> LOOKUP_TIMEOUT = ConfigKey.time("spark.rpc.lookupTimeout",
      TimeUnit.SECONDS, null, "How long a lookup by URI may take in all, retries included.")
      .fallbackTo(NETWORK_TIMEOUT);

  /** Idle-connection timeout while asks are outstanding. */
  public static final ConfigKey<Duration> CONNECTION_TIMEOUT = ConfigKey.time("spark.rpc.io.connectionTimeout",
      TimeUnit.SECONDS, null, "A connection with outstanding asks that stays silent this long is considered dead.")
      .fallbackTo(NETWORK_TIMEOUT);

  /** TCP connect timeout. */
  public static final ConfigKey<Duration> CONNECTION_CREATION_TIMEOUT = ConfigKey.time(
      "spark.rpc.io.connectionCreationTimeout", TimeUnit.SECONDS, null,
      "How long one TCP connection attempt may take.").fallbackTo(CONNECTION_TIMEOUT);

  /** Handshake deadline for new connections. */
  public static final ConfigKey<Duration> HANDSHAKE_TIMEOUT = ConfigKey.time("spark.network.auth.rpcTimeout",
      TimeUnit.SECONDS, "30s",
      "Deadline for a new connection to complete its handshake; a peer that is silent longer is disconnected.");

  /** Largest serialized message or reply. */
  public static final ConfigKey<Long> MESSAGE_MAX_SIZE = ConfigKey.size("spark.rpc.message.maxSize", MIB, "128",
      "Largest serialized message or reply, in MiB unless a unit is given; enforced by sender and receiver.")
      .checked(v -> v <= 0 || v > 2047 * MIB ? "must be between 1 byte and 2047 MiB" : null);

  /** Shared dispatcher thread count. */
  public static final ConfigKey<Integer> DISPATCHER_THREADS = ConfigKey.integer(
      "spark.rpc.netty.dispatcher.numThreads", null,
      "Threads that run endpoint code shared by all non-isolated endpoints.")
      .computedDefault("max(2, cores)").checked(RpcConfigKeys::positive);

  /** Role-specific dispatcher thread count for the driver. */
  public static final ConfigKey<Integer> DRIVER_DISPATCHER_THREADS = ConfigKey.integer(
      "spark.driver.rpc.netty.dispatcher.numThreads", null,
      "Overrides spark.rpc.netty.dispatcher.numThreads when spark.executor.id is \"driver\".")
      .checked(RpcConfigKeys::positive);

  /** Role-specific dispatcher thread count for executors. */
  public static final ConfigKey<Integer> EXECUTOR_DISPATCHER_THREADS = ConfigKey.integer(
      "spark.executor.rpc.netty.dispatcher.numThreads", null,
      "Overrides spark.rpc.netty.dispatcher.numThreads when spark.executor.id is set to anything but \"driver\".")
      .checked(RpcConfigKeys::positive);

  /** Netty event-loop thread count. */
  public static final ConfigKey<Integer> IO_THREADS = ConfigKey.integer("spark.rpc.io.threads", null,
      "Network I/O threads of one env (server and client side share them).")
      .computedDefault("min(cores, 8)").checked(RpcConfigKeys::positive);

  /** Transport implementation. */
  public static final ConfigKey<String> IO_MODE = ConfigKey.string("spark.rpc.io.mode", "auto",
      "auto (native epoll when it loads, else NIO), epoll, or nio.")
      .checked(v -> v.equalsIgnoreCase("auto") || v.equalsIgnoreCase("epoll") || v.equalsIgnoreCase("nio")
          ? null : "must be auto, epoll or nio");

  /** Direct (off-heap) network buffers. */
  public static final ConfigKey<Boolean> PREFER_DIRECT_BUFS = ConfigKey.bool("spark.rpc.io.preferDirectBufs", true,
      "Use direct (off-heap) network buffers.");

  /** Listen backlog. */
  public static final ConfigKey<Integer> BACKLOG = ConfigKey.integer("spark.rpc.io.backLog", 0,
      "Accept queue length of the listening socket; 0 keeps the operating system's default.");

  /** SO_RCVBUF. */
  public static final ConfigKey<Long> RECEIVE_BUFFER = ConfigKey.size("spark.rpc.io.receiveBuffer", 1, "0",
      "Socket receive buffer in bytes; 0 keeps the operating system's default.");

  /** SO_SNDBUF. */
  public static final ConfigKey<Long> SEND_BUFFER = ConfigKey.size("spark.rpc.io.sendBuffer", 1, "0",
      "Socket send buffer in bytes; 0 keeps the operating system's default.");

  /** Port bind retries. */
  public static final ConfigKey<Integer> PORT_MAX_RETRIES = ConfigKey.integer("spark.port.maxRetries", 16,
      "When a fixed port is taken, how many following ports to try before failing.")
      .checked(v -> v < 0 ? "must not be negative" : null);

  /** Retries for lookups and connection attempts. */
  public static final ConfigKey<Integer> NUM_RETRIES = ConfigKey.integer("spark.rpc.numRetries", 3,
      "Retries of a failed connection attempt or lookup (never of an ask, which may not be idempotent).")
      .checked(v -> v < 0 ? "must not be negative" : null);

  /** Base wait between retries. */
  public static final ConfigKey<Duration> RETRY_WAIT = ConfigKey.time("spark.rpc.retry.wait", TimeUnit.SECONDS,
      "1s", "Wait before the first retry; each further retry doubles it (up to 30s), with 20% jitter.");

  /** Test mode: serialize local messages. */
  public static final ConfigKey<Boolean> SERIALIZE_LOCAL_MESSAGES = ConfigKey.bool(
      "spark.rpc.serializeLocalMessages", false,
      "Serialize messages between endpoints of one env too, so tests catch non-serializable messages.");

  /** Shared-secret authentication. */
  public static final ConfigKey<Boolean> AUTHENTICATE = ConfigKey.bool("spark.authenticate", false,
      "Require shared-secret authentication on every connection (not available yet: an env refuses to start).");

  /** TLS on the RPC port. */
  public static final ConfigKey<Boolean> SSL_RPC_ENABLED = ConfigKey.bool("spark.ssl.rpc.enabled", false,
      "Encrypt RPC connections with TLS (not available yet: an env refuses to start).");

  /** The process's role, which selects role-specific thread settings. */
  public static final ConfigKey<String> EXECUTOR_ID = ConfigKey.string("spark.executor.id", null,
      "This process's executor id (\"driver\" on the driver); selects the spark.driver.* or spark.executor.* "
          + "thread overrides.");

  private static String positive(Integer v) {
    return v <= 0 ? "must be positive" : null;
  }

  /**
   * A markdown table (key, default, meaning) of {@code keys}, as the README shows it; a test keeps
   * the README equal to this.
   */
  public static String markdownTable(List<ConfigKey<?>> keys) {
    StringBuilder sb = new StringBuilder("| Key | Default | Meaning |\n|---|---|---|\n");
    for (ConfigKey<?> k : keys) {
      String def = k.defaultText();
      sb.append("| `").append(k.key()).append("` | ").append(def == null ? "(none)" : def.isEmpty() ? "(empty)"
          : def.startsWith("value of ")
          ? "value of `" + def.substring("value of ".length()) + "`" : "`" + def + "`")
          .append(" | ").append(k.doc().replace("|", "\\|")).append(" |\n");
    }
    return sb.toString();
  }

  /** All keys declared here, in declaration order. */
  public static List<ConfigKey<?>> all() {
    return ConfigKey.declaredIn(RpcConfigKeys.class);
  }
}
