package io.rpcenv.internal;

import com.codahale.metrics.MetricRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.util.Timer;
import io.rpcenv.RpcAddress;
import io.rpcenv.RpcConf;
import io.rpcenv.RpcConfigKeys;
import io.rpcenv.RpcEndpoint;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcEnv;
import io.rpcenv.RpcEnvConfig;
import io.rpcenv.RpcEnvFileServer;
import io.rpcenv.RpcEnvStoppedException;
import io.rpcenv.RpcException;
import io.rpcenv.RpcFileChannel;
import io.rpcenv.RpcTimeout;
import io.rpcenv.internal.call.PendingAsk;
import io.rpcenv.internal.codec.Codec;
import io.rpcenv.internal.dispatch.Dispatcher;
import io.rpcenv.internal.dispatch.Inbox;
import io.rpcenv.internal.dispatch.RpcThread;
import io.rpcenv.internal.dispatch.StallWatch;
import io.rpcenv.internal.files.EnvFiles;
import io.rpcenv.internal.metrics.EnvMetrics;
import io.rpcenv.internal.timer.EnvTimer;
import io.rpcenv.internal.transport.SpareArrays;
import io.rpcenv.internal.transport.Transport;
import io.rpcenv.spi.EndpointBinder;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty-based {@link RpcEnv}: builds and owns the dispatcher (endpoint threads), the transport
 * (sockets), one timer for all ask timeouts and the codec, registers endpoints, and stops it all in
 * order. Messages leave through {@link Outbound} and arrive through {@link Inbound}.
 */
public final class NettyRpcEnv extends RpcEnv {
  private static final Logger LOG = LoggerFactory.getLogger(NettyRpcEnv.class);

  private final String name;
  private final RpcConf conf;
  private final long envId;
  private final RpcTimeout askTimeout;
  private final RpcTimeout lookupTimeout;
  private final int numRetries;
  private final EndpointBinder binder;
  private final Dispatcher dispatcher;
  private final Timer timer;
  private final Transport transport;
  private final Codec codec;
  private final Outbound outbound;
  private final EnvThreads threads;
  private final EnvShutdown lifecycle;
  private final EnvMetrics metrics = new EnvMetrics();
  private final EnvFiles files;
  private volatile RpcAddress address;

  NettyRpcEnv(RpcEnvConfig config, EndpointBinder binder) {
    this.name = config.name();
    this.binder = binder;
    this.conf = config.conf().copy();
    this.envId = ThreadLocalRandom.current().nextLong() | 1; // never 0: 0 means unknown
    this.threads = new EnvThreads(this, name);
    // First everything that can be wrong with the settings, before any thread or buffer exists.
    RpcSettingsCheck settings;
    try {
      settings = new RpcSettingsCheck(conf, config, name);
    } catch (RpcException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new RpcException("RpcEnv '" + name + "' cannot start: " + e.getMessage(), e);
    }
    this.askTimeout = settings.askTimeout;
    this.lookupTimeout = settings.lookupTimeout;
    this.numRetries = settings.transport.numRetries();
    RefBinder refs = new RefBinder(this);
    this.codec =
        new Codec(settings.serializer, settings.alloc, settings.transport.maxMessageSize(), refs);
    SpareArrays spares = EnvFiles.spareBlocks();
    this.files = new EnvFiles(this, spares);
    // Then the resources; if one cannot be made, those made already are released.
    Dispatcher d = null;
    Timer t = null;
    EventLoopGroup g = null;
    try {
      d =
          new Dispatcher(
              role -> threads.factory(role, false),
              "RpcEnv '" + name + "'",
              settings.dispatcherThreads,
              metrics);
      t = new EnvTimer("RpcEnv '" + name + "'");
      g = settings.io.newGroup(settings.ioThreads, threads.factory("io", true));
      this.transport =
          new Transport(
              new Inbound(this, d, codec),
              codec,
              settings.transport,
              g,
              settings.io,
              settings.alloc,
              spares,
              metrics.transport());
    } catch (RuntimeException | Error e) {
      EnvShutdown.releasePartial(d, t, g);
      throw e;
    }
    this.dispatcher = d;
    this.timer = t;
    refs.transport(transport);
    this.outbound = new Outbound(this, d, codec, t, transport, settings.serializeLocal);
    this.lifecycle =
        new EnvShutdown(this::where, d, transport, t, g, threads, settings.endpointStopTimeout);
    StallWatch.logTo(settings.stallWarning, threads::all, timer);
    try {
      if (!config.clientMode()) {
        int port =
            transport.bind(
                config.bindAddress(),
                config.port(),
                conf.get(RpcConfigKeys.PORT_MAX_RETRIES),
                config.advertiseAddress());
        address = new RpcAddress(config.advertiseAddress(), port);
        setupEndpoint(EndpointVerifier.NAME, new EndpointVerifier(dispatcher));
      }
    } catch (RuntimeException e) {
      shutdown();
      awaitTermination(Duration.ofSeconds(10));
      throw e;
    }
    LOG.debug("Started {} ({} transport)", where(), transport.ioName());
  }

  // ---- RpcEnv ----

  @Override
  public String name() {
    return name;
  }

  @Override
  public RpcAddress address() {
    return address;
  }

  /** Random id of this env, unique per process run; sent in every handshake. */
  long envId() {
    return envId;
  }

  @Override
  public RpcConf conf() {
    return conf.copy();
  }

  @Override
  public RpcTimeout defaultAskTimeout() {
    return askTimeout;
  }

  @Override
  public MetricRegistry metrics() {
    return metrics.registry();
  }

  EnvMetrics envMetrics() {
    return metrics;
  }

  @Override
  public RpcTimeout lookupTimeout() {
    return lookupTimeout;
  }

  String where() {
    RpcAddress a = address;
    return a == null
        ? "client-mode RpcEnv '" + name + "'"
        : "RpcEnv '" + name + "' at " + a.hostPort();
  }

  @Override
  public RpcEndpointRef setupEndpoint(String endpointName, RpcEndpoint endpoint) {
    Objects.requireNonNull(endpointName, "name");
    Objects.requireNonNull(endpoint, "endpoint");
    if (lifecycle.state() != EnvShutdown.RUNNING) {
      throw stoppedException("register endpoint '" + endpointName + "'");
    }
    NettyRpcEndpointRef ref =
        new NettyRpcEndpointRef(this, address, endpointName, address == null ? envId : 0, null);
    if (!binder.bind(endpoint, this)) { // atomic, and no lock on the caller's object
      throw new IllegalArgumentException(
          "This endpoint object is already registered (as "
              + endpoint.self()
              + "); create a new instance for '"
              + endpointName
              + "'");
    }
    binder.setSelf(endpoint, ref);
    try {
      dispatcher.register(
          endpointName,
          endpoint,
          () -> binder.setSelf(endpoint, null),
          () -> stoppedException("register endpoint '" + endpointName + "'"));
    } catch (RuntimeException e) {
      binder.setSelf(endpoint, null);
      binder.unbind(endpoint);
      throw e;
    }
    return ref;
  }

  @Override
  public void stop(RpcEndpointRef endpoint) {
    if (!(endpoint instanceof NettyRpcEndpointRef ref) || ref.env() != this || !ref.isLocal()) {
      throw new IllegalArgumentException(endpoint + " is not an endpoint of " + where());
    }
    Inbox inbox = dispatcher.inbox(ref.name());
    if (inbox != null) {
      dispatcher.unregister(ref.name(), inbox);
    }
  }

  @Override
  public CompletableFuture<RpcEndpointRef> asyncSetupEndpointRefByURI(String uri) {
    return new EndpointLookup(this, uri, numRetries, conf.get(RpcConfigKeys.RETRY_WAIT)).start();
  }

  /** A ref to {@code endpointName} at {@code target}, without checking that it exists. */
  NettyRpcEndpointRef refTo(RpcAddress target, String endpointName) {
    return new NettyRpcEndpointRef(this, target, endpointName, 0, null);
  }

  Timer timer() {
    return timer;
  }

  // ---- sending: see Outbound ----

  void send(NettyRpcEndpointRef ref, Object message) {
    outbound.send(ref, message);
  }

  <T> PendingAsk<T> ask(NettyRpcEndpointRef ref, Object message, RpcTimeout timeout) {
    return outbound.ask(ref, message, timeout);
  }

  <T> T askSync(NettyRpcEndpointRef ref, Object message, RpcTimeout timeout) {
    return outbound.askSync(ref, message, timeout);
  }

  /** Throws unless this env may send now; the error text is only built when it is thrown. */
  void checkCanSend(String verb, NettyRpcEndpointRef ref) {
    int s = lifecycle.state();
    if (s == EnvShutdown.RUNNING) {
      return;
    }
    RpcThread t = RpcThread.current();
    if (s == EnvShutdown.STOPPING && t != null && t.owner() == this && !t.isIo()) {
      return; // endpoint code still draining, or an onStop saying goodbye
    }
    throw stoppedException(verb + ref.endpointAddress());
  }

  RpcEnvStoppedException stoppedException(String what) {
    return new RpcEnvStoppedException("Cannot " + what + ": " + where() + " has been shut down");
  }

  @Override
  public void shutdown() {
    lifecycle.start();
  }

  @Override
  public boolean isShutdown() {
    return lifecycle.state() != EnvShutdown.RUNNING;
  }

  @Override
  public boolean isTerminated() {
    return lifecycle.isTerminated();
  }

  @Override
  public void awaitTermination() {
    lifecycle.refuseWaitOnOwnThread(isOwnThread());
    lifecycle.await();
  }

  @Override
  public boolean awaitTermination(Duration timeout) {
    lifecycle.refuseWaitOnOwnThread(isOwnThread());
    return lifecycle.await(timeout);
  }

  @Override
  protected boolean isOwnThread() {
    RpcThread t = RpcThread.current();
    return t != null && t.owner() == this;
  }

  /** The dispatcher, for tests inside this module. */
  Dispatcher dispatcher() {
    return dispatcher;
  }

  /** The env's threads, for tests inside this module. */
  EnvThreads threads() {
    return threads;
  }

  /** The transport, for tests inside this module. */
  Transport transport() {
    return transport;
  }

  @Override
  public RpcEnvFileServer fileServer() {
    return files.server();
  }

  @Override
  public RpcFileChannel openChannel(String uri) throws IOException {
    return files.open(uri);
  }

  @Override
  public String toString() {
    return where();
  }
}
