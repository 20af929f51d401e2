package io.rpcenv;

import com.codahale.metrics.MetricRegistry;
import io.rpcenv.spi.EndpointBinder;
import io.rpcenv.spi.RpcEnvFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.jspecify.annotations.Nullable;

/**
 * An environment of named endpoints that exchange messages with endpoints of other envs, in this
 * process or elsewhere. A server-mode env listens on a host and port; a client-mode env listens on
 * nothing and is reached over the connections it makes.
 *
 * <pre>{@code
 * try (RpcEnv server = RpcEnv.create(RpcEnvConfig.builder("server").build())) {
 *   server.setupEndpoint("echo", new RpcEndpoint() {
 *     @Override public void receiveAndReply(Object msg, RpcCallContext ctx) { ctx.reply(msg); }
 *   });
 *   try (RpcEnv client = RpcEnv.create(RpcEnvConfig.builder("client").clientMode(true).build())) {
 *     RpcEndpointRef echo = client.setupEndpointRef(server.address(), "echo");
 *     String reply = echo.askSync("hello");
 *   }
 * }
 * }</pre>
 *
 * <p>Lookups and connection attempts are retried ({@code spark.rpc.numRetries}, {@code
 * spark.rpc.retry.wait}); asks and sends never are, because the endpoint may not be idempotent. All
 * methods are thread-safe.
 */
public abstract class RpcEnv implements AutoCloseable {

  /** For implementations. */
  protected RpcEnv() {}

  /** Creates a server-mode env listening on {@code host:port} (0 picks a free port). */
  public static RpcEnv create(
      String name, String host, int port, RpcConf conf, @Nullable RpcSecurityManager security) {
    return create(name, host, port, conf, security, false);
  }

  /** Creates an env; in client mode {@code host} and {@code port} are not used for listening. */
  public static RpcEnv create(
      String name,
      String host,
      int port,
      RpcConf conf,
      @Nullable RpcSecurityManager security,
      boolean clientMode) {
    return create(new RpcEnvConfig(conf, name, host, host, port, security, 0, clientMode));
  }

  /**
   * Creates an env with separate bind and advertise addresses and a core count for sizing threads.
   */
  public static RpcEnv create(
      String name,
      String bindAddress,
      String advertiseAddress,
      int port,
      RpcConf conf,
      @Nullable RpcSecurityManager security,
      int numUsableCores,
      boolean clientMode) {
    return create(
        new RpcEnvConfig(
            conf, name, bindAddress, advertiseAddress, port, security, numUsableCores, clientMode));
  }

  /**
   * Creates and starts an env; throws {@link RpcException} naming the address if it cannot listen.
   */
  public static RpcEnv create(RpcEnvConfig config) {
    return FactoryHolder.FACTORY.create(
        Objects.requireNonNull(config, "config"), FactoryHolder.BINDER);
  }

  /** The name given at creation. */
  public abstract String name();

  /** The advertised host and the bound port, or null in client mode. */
  public abstract @Nullable RpcAddress address();

  /** A copy of the settings this env runs with. */
  public abstract RpcConf conf();

  /** The timeout of asks made without one. */
  public abstract RpcTimeout defaultAskTimeout();

  /** The timeout of lookups. */
  public abstract RpcTimeout lookupTimeout();

  /**
   * This env's metrics, live: per endpoint (messages received, asks answered and failed, handling
   * time, inbox depth, stall warnings), for asks it makes, and for its connections. Series are
   * named in Prometheus style with their labels ({@code
   * rpcenv_endpoint_handling_seconds{endpoint="echo"}}); histograms named {@code *_seconds} hold
   * nanoseconds. {@link PrometheusText} writes the registry as Prometheus text; Dropwizard's
   * reporters (JMX, Graphite, Spark's sinks) take it as it is. Registering more metrics in it is
   * allowed; removing the env's is not.
   */
  public abstract MetricRegistry metrics();

  /**
   * The files this env serves to its peers ({@link RpcEnvFileServer}).
   *
   * @throws IllegalStateException for a client-mode env, which has no address to serve from
   */
  public abstract RpcEnvFileServer fileServer();

  /**
   * Opens a file another env serves ({@link RpcEnvFileServer}) by its URI ({@code
   * spark://host:port/jars/a.jar}), over this env's connection to that env. The file arrives in
   * chunks as it is read, a few ahead at most, so neither side holds it whole and a slow reader
   * slows the sender. The length is learned first and the content checked against the SHA-256 the
   * server took when the file was added: a read fails with an {@link java.io.IOException} naming
   * the URI and the peer when the connection is lost, the file is shorter, changed or gone, or the
   * digest does not match, and end of stream is reported only after the whole file arrived intact.
   *
   * @throws java.io.IOException if the URI names no file there (the message lists what is
   *     registered under its base) or the env cannot be reached
   * @throws IllegalArgumentException if {@code uri} is not {@code spark://host:port/path}
   */
  public abstract RpcFileChannel openChannel(String uri) throws java.io.IOException;

  /**
   * Registers {@code endpoint} under {@code name} and returns its ref at once; {@code onStart} runs
   * later on a dispatcher thread, before any message. Throws {@link IllegalArgumentException} if
   * the name is taken or the endpoint object is already registered, and {@link
   * RpcEnvStoppedException} after shutdown.
   */
  public abstract RpcEndpointRef setupEndpoint(String name, RpcEndpoint endpoint);

  /**
   * Looks up {@code spark://name@host:port}: asks the target env whether the endpoint exists. Fails
   * with {@link RpcEndpointNotFoundException} naming the URI if it does not, and with {@link
   * RpcTimeoutException} after the lookup timeout. Connection failures are retried. A malformed URI
   * throws {@link IllegalArgumentException} at once.
   */
  public abstract CompletableFuture<RpcEndpointRef> asyncSetupEndpointRefByURI(String uri);

  /** Blocking form of {@link #asyncSetupEndpointRefByURI}, bounded by the lookup timeout. */
  public RpcEndpointRef setupEndpointRefByURI(String uri) {
    RpcTimeout lookup = lookupTimeout();
    // The lookup future fails by itself at its deadline; the extra second only guards against a
    // hang.
    RpcTimeout guard =
        lookup.isInfinite()
            ? lookup
            : new RpcTimeout(lookup.duration().plusSeconds(1), lookup.property());
    return guard.awaitResult(asyncSetupEndpointRefByURI(uri));
  }

  /** Looks up the endpoint {@code endpointName} of the env at {@code address}. */
  public RpcEndpointRef setupEndpointRef(RpcAddress address, String endpointName) {
    Objects.requireNonNull(address, "address (a client-mode env cannot be looked up)");
    return setupEndpointRefByURI(new RpcEndpointAddress(address, endpointName).toString());
  }

  /**
   * Stops the endpoint: its name is free at once, messages already queued are handled, then {@code
   * onStop} runs. Idempotent; does nothing after shutdown.
   */
  public abstract void stop(RpcEndpointRef endpoint);

  /**
   * Starts an orderly shutdown and returns: new sends, asks and registrations fail with {@link
   * RpcEnvStoppedException}; every endpoint gets {@code onStop} (no network events are delivered
   * for connections this shutdown closes); messages already sent are flushed; then connections, the
   * listening socket and all threads are closed. Idempotent.
   *
   * <p>An endpoint still busy {@code spark.rpc.endpointStopTimeout} (30 s) after the shutdown began
   * (blocked in a message or in {@code onStop}) is named in a warning with what it is doing; its
   * queued messages fail, its {@code onStop} is not called, its threads are interrupted, and the
   * shutdown carries on, so it always finishes.
   */
  public abstract void shutdown();

  /** Whether {@link #shutdown()} has been called. */
  public abstract boolean isShutdown();

  /**
   * Whether shutdown has finished: every {@code onStop} has run (or its endpoint was given up on,
   * see {@link #shutdown()}) and every thread has ended, or was still running endpoint code 10 s
   * after it was interrupted.
   */
  public abstract boolean isTerminated();

  /**
   * Waits until shutdown has finished. Throws {@link IllegalStateException} on one of this env's
   * own threads.
   */
  public abstract void awaitTermination();

  /** Waits at most {@code timeout} for shutdown to finish; returns whether it did. */
  public abstract boolean awaitTermination(Duration timeout);

  /**
   * {@link #shutdown()} then {@link #awaitTermination()}. Called on one of this env's own threads
   * (an endpoint closing its env), it only starts the shutdown, which then finishes by itself.
   */
  @Override
  public void close() {
    shutdown();
    if (!isOwnThread()) {
      awaitTermination();
    }
  }

  /** Whether the calling thread belongs to this env (a dispatcher or I/O thread). */
  protected abstract boolean isOwnThread();

  /**
   * The only {@link EndpointBinder}: given to the factory, so that only the implementation binds
   * endpoints.
   */
  private static final class Binder implements EndpointBinder {
    private static final AtomicReferenceFieldUpdater<RpcEndpoint, RpcEnv> ENV =
        AtomicReferenceFieldUpdater.newUpdater(RpcEndpoint.class, RpcEnv.class, "env");

    @Override
    public boolean bind(RpcEndpoint endpoint, RpcEnv env) {
      return ENV.compareAndSet(endpoint, null, Objects.requireNonNull(env, "env"));
    }

    @Override
    public void unbind(RpcEndpoint endpoint) {
      endpoint.env = null;
    }

    @Override
    public void setSelf(RpcEndpoint endpoint, RpcEndpointRef self) {
      endpoint.self = self;
    }
  }

  private static final class FactoryHolder {
    static final EndpointBinder BINDER = new Binder();
    static final RpcEnvFactory FACTORY =
        ServiceLoader.load(RpcEnvFactory.class, RpcEnv.class.getClassLoader())
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "No io.rpcenv.spi.RpcEnvFactory on the class path: add the "
                            + "rpcenv-core jar, and when shading, merge META-INF/services files"));
  }
}
