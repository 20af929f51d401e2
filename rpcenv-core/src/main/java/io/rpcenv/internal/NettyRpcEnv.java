package io.rpcenv.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.util.HashedWheelTimer;
import io.rpcenv.RpcAddress;
import io.rpcenv.RpcConf;
import io.rpcenv.RpcConfigKeys;
import io.rpcenv.RpcConnectionException;
import io.rpcenv.RpcEndpoint;
import io.rpcenv.RpcEndpointNotFoundException;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcEnv;
import io.rpcenv.RpcEnvConfig;
import io.rpcenv.RpcEnvStoppedException;
import io.rpcenv.RpcException;
import io.rpcenv.RpcTimeout;
import io.rpcenv.internal.call.PendingAsk;
import io.rpcenv.internal.dispatch.Dispatcher;
import io.rpcenv.internal.dispatch.Inbox;
import io.rpcenv.internal.dispatch.NetworkEvent;
import io.rpcenv.internal.dispatch.StallWatch;
import io.rpcenv.internal.serialize.JavaMessageSerializer;
import io.rpcenv.internal.serialize.SerializedRef;
import io.rpcenv.internal.transport.Connection;
import io.rpcenv.internal.transport.InboundWindow;
import io.rpcenv.internal.transport.FailureFrame;
import io.rpcenv.internal.transport.Frames;
import io.rpcenv.internal.transport.MessageBody;
import io.rpcenv.internal.transport.Transport;
import io.rpcenv.internal.transport.TransportHost;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty-based {@link RpcEnv}: composes the dispatcher (endpoint threads), the transport
 * (sockets), one timer for all ask timeouts, and the codec; routes messages between them.
 */
public final class NettyRpcEnv extends RpcEnv implements TransportHost {
  private static final Logger LOG = LoggerFactory.getLogger(NettyRpcEnv.class);

  private final String name;
  private final RpcConf conf;
  private final long envId;
  private final RpcTimeout askTimeout;
  private final RpcTimeout lookupTimeout;
  final boolean serializeLocal;
  private final int numRetries;
  private final Dispatcher dispatcher;
  private final HashedWheelTimer timer;
  private final Transport transport;
  final Codec codec;
  private final EnvThreads threads;
  private final EnvShutdown lifecycle;
  private volatile RpcAddress address;

  NettyRpcEnv(RpcEnvConfig config) {
    this.name = config.name();
    this.conf = config.conf().copy();
    this.envId = newEnvId();
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
    this.serializeLocal = settings.serializeLocal;
    this.numRetries = settings.transport.numRetries();
    ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
        ? Thread.currentThread().getContextClassLoader() : NettyRpcEnv.class.getClassLoader();
    this.codec = new Codec(new JavaMessageSerializer(loader, settings.deserialization), settings.alloc,
        settings.transport.maxMessageSize(), this::bindRef);
    // Then the resources; if one cannot be made, those made already are released.
    Dispatcher d = null;
    HashedWheelTimer t = null;
    EventLoopGroup g = null;
    try {
      d = new Dispatcher(role -> threads.factory(role, false), "RpcEnv '" + name + "'", settings.dispatcherThreads);
      t = new HashedWheelTimer(threads.factory("timer", false), 10, TimeUnit.MILLISECONDS, 512, true);
      g = settings.io.newGroup(settings.ioThreads, threads.factory("io", true));
      this.transport = new Transport(this, settings.transport, g, settings.io, settings.alloc);
    } catch (RuntimeException | Error e) {
      release(d, t, g);
      throw e;
    }
    this.dispatcher = d;
    this.timer = t;
    this.lifecycle = new EnvShutdown(this::where, d, transport, t, g, threads, settings.endpointStopTimeout);
    if (!settings.stallWarning.isZero()) {
      new StallWatch(settings.stallWarning.toNanos(), RpcTimeout.of(settings.stallWarning).describe(), threads::all,
          StallWatch.LOG_SINK).runOn(timer);
    }
    try {
      if (!config.clientMode()) {
        int port = transport.bind(config.bindAddress(), config.port(), conf.get(RpcConfigKeys.PORT_MAX_RETRIES),
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

  /** Releases what a constructor that failed half-way had made. */
  private static void release(Dispatcher d, HashedWheelTimer t, EventLoopGroup g) {
    if (g != null) {
      g.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    if (t != null) {
      t.stop();
    }
    if (d != null) {
      d.stop();
      try {
        d.shutdownThreads(5_000, true);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static long newEnvId() {
    long id;
    do {
      id = ThreadLocalRandom.current().nextLong();
    } while (id == 0);
    return id;
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

  @Override
  public long envId() {
    return envId;
  }

  @Override
  public RpcAddress listenAddress() {
    return address;
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
  public RpcTimeout lookupTimeout() {
    return lookupTimeout;
  }

  String where() {
    RpcAddress a = address;
    return a == null ? "client-mode RpcEnv '" + name + "'" : "RpcEnv '" + name + "' at " + a.hostPort();
  }

  @Override
  public RpcEndpointRef setupEndpoint(String endpointName, RpcEndpoint endpoint) {
    Objects.requireNonNull(endpointName, "name");
    Objects.requireNonNull(endpoint, "endpoint");
    if (lifecycle.state() != EnvShutdown.RUNNING) {
      throw stoppedException("register endpoint '" + endpointName + "'");
    }
    NettyRpcEndpointRef ref = new NettyRpcEndpointRef(this, address, endpointName, address == null ? envId : 0, null);
    synchronized (endpoint) {
      if (isBound(endpoint)) {
        throw new IllegalArgumentException("This endpoint object is already registered (as " + endpoint.self()
            + "); create a new instance for '" + endpointName + "'");
      }
      bind(endpoint, this);
      setSelf(endpoint, ref);
    }
    try {
      dispatcher.register(endpointName, endpoint, () -> setSelf(endpoint, null),
          () -> stoppedException("register endpoint '" + endpointName + "'"));
    } catch (RuntimeException e) {
      synchronized (endpoint) {
        setSelf(endpoint, null);
        bind(endpoint, null);
      }
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

  HashedWheelTimer timer() {
    return timer;
  }

  // ---- sending ----

  void send(NettyRpcEndpointRef ref, Object message) {
    checkCanSend("send to ", ref);
    if (ref.isLocal()) {
      Inbox inbox = dispatcher.inbox(ref.name());
      if (inbox == null) {
        throw notFound(ref);
      }
      Object content = serializeLocal && message != null
          ? codec.roundTrip(message, "message to " + ref.endpointAddress()) : message;
      inbox.post(new LocalOneWay(content, ref.name()));
      return;
    }
    Connection c = connectionFor(ref);
    ByteBuf frame = Frames.oneWay(codec.alloc, ref.nameUtf8(), message, codec.serializer, codec.maxSize, "message",
        ref);
    c.send(ref.name(), frame);
  }

  <T> PendingAsk<T> ask(NettyRpcEndpointRef ref, Object message, RpcTimeout timeout) {
    RpcAddress peer = ref.address() != null ? ref.address()
        : ref.connection() != null ? ref.connection().socketAddress() : null;
    PendingAsk<T> pending = new PendingAsk<>(ref, peer, message, timeout);
    try {
      checkCanSend("ask ", ref);
      if (ref.isLocal()) {
        Inbox inbox = dispatcher.inbox(ref.name());
        if (inbox == null) {
          throw notFound(ref);
        }
        Object content = serializeLocal && message != null
            ? codec.roundTrip(message, "ask to " + ref.endpointAddress()) : message;
        pending.startTimer(timer);
        inbox.post(new LocalAsk(this, pending, content));
      } else {
        Connection c = connectionFor(ref);
        long id = c.nextRequestId();
        ByteBuf frame = Frames.request(codec.alloc, id, ref.nameUtf8(), message, codec.serializer, codec.maxSize,
            "ask", ref);
        pending.startTimer(timer);
        c.ask(ref.name(), id, pending, frame);
      }
    } catch (RpcException e) {
      pending.fail(e);
    } catch (RuntimeException e) {
      pending.fail(new RpcException("The " + pending.describe() + " failed: " + e, e));
    }
    return pending;
  }

  <T> T askSync(NettyRpcEndpointRef ref, Object message, RpcTimeout timeout) {
    RpcThread thread = RpcThread.current();
    if (thread != null) {
      if (thread.isIo()) {
        throw new IllegalStateException("askSync to " + ref.endpointAddress() + " called on rpcenv I/O thread "
            + thread.getName() + ", where waiting would stall network I/O; use ask() and continue on the future");
      }
      if (thread.owner() == this && ref.isLocal()) {
        Inbox target = dispatcher.inbox(ref.name());
        if (target != null && target == thread.currentInbox() && target.isSingleThreaded()) {
          throw new IllegalStateException("Endpoint " + ref.endpointAddress() + " called askSync on itself from its "
              + "own message handler; it handles one message at a time, so the ask could only time out. Use ask() "
              + "and continue on the future instead");
        }
      }
    }
    PendingAsk<T> pending = ask(ref, message, timeout);
    try {
      // The ask fails by itself at its deadline; the extra second only guards against a hang.
      return timeout == RpcTimeout.INFINITE ? pending.get()
          : pending.get(timeout.duration().toNanos() + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new RpcException("The " + pending.describe() + " failed: " + cause, cause);
    } catch (TimeoutException e) {
      pending.abort(timeout.timeoutException("No reply from " + ref.endpointAddress() + " in " + timeout.describe()));
      throw timeout.timeoutException("No reply from " + ref.endpointAddress() + " in " + timeout.describe());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pending.abort(new RpcException("Interrupted while waiting for the " + pending.describe(), e));
      throw new RpcException("Interrupted while waiting for the " + pending.describe(), e);
    } catch (java.util.concurrent.CancellationException e) {
      throw new RpcException("The " + pending.describe() + " was cancelled", e);
    }
  }

  private Connection connectionFor(NettyRpcEndpointRef ref) {
    Connection c = ref.connection();
    if (c != null) {
      if (c.isClosed()) {
        throw new RpcConnectionException("Cannot reach " + ref.endpointAddress() + ": the connection from its "
            + "client-mode env (" + c.socketAddress() + ") has closed", c.socketAddress(), null);
      }
      return c;
    }
    if (ref.address() == null) {
      throw new RpcConnectionException("Cannot reach " + ref.endpointAddress() + " from " + where() + ": it lives in"
          + " a client-mode env, which has no listen address, and that env has no connection to this one", null,
          null);
    }
    Connection last = ref.lastConnection();
    if (last != null && !last.isClosed()) {
      return last;
    }
    Connection fresh = transport.connectionTo(ref.address());
    ref.lastConnection(fresh);
    return fresh;
  }

  /** Throws unless this env may send now; the error text is only built when it is thrown. */
  private void checkCanSend(String verb, NettyRpcEndpointRef ref) {
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

  private RpcEndpointNotFoundException notFound(NettyRpcEndpointRef ref) {
    return new RpcEndpointNotFoundException("Cannot find endpoint: " + ref.endpointAddress() + " (no endpoint '"
        + ref.name() + "' is registered in " + where() + ")");
  }

  /** Binds a ref read off {@code connection} (null for local round trips) to this env. */
  private RpcEndpointRef bindRef(SerializedRef s, Connection connection) {
    if (s.address() != null) {
      return new NettyRpcEndpointRef(this, s.address(), s.name(), 0, null);
    }
    if (s.clientEnvId() == envId) {
      return new NettyRpcEndpointRef(this, null, s.name(), envId, null);
    }
    Connection via = connection != null && connection.peerEnvId() == s.clientEnvId()
        ? connection : transport.connectionToEnv(s.clientEnvId());
    return new NettyRpcEndpointRef(this, null, s.name(), s.clientEnvId(), via);
  }

  // ---- TransportHost ----

  @Override
  public void onRequest(Connection connection, InboundWindow window, long requestId, String endpoint,
      MessageBody body) {
    deliver(endpoint, new RemoteAsk(codec, connection, window, requestId, body));
  }

  @Override
  public void onOneWay(Connection connection, InboundWindow window, String endpoint, MessageBody body) {
    deliver(endpoint, new RemoteOneWay(codec, connection, window, endpoint, body));
  }

  private void deliver(String endpoint, io.rpcenv.internal.dispatch.InboxMessage message) {
    if (dispatcher.isStopped()) {
      message.reject(new RpcEnvStoppedException(where() + " is shutting down"));
      return;
    }
    Inbox inbox = dispatcher.inbox(endpoint);
    if (inbox == null) {
      message.reject(new RpcEndpointNotFoundException("Cannot find endpoint: " + endpoint + " (no endpoint '"
          + endpoint + "' is registered in " + where() + ")"));
    } else {
      inbox.deliverInlineOrPost(message);
    }
  }

  @Override
  public void onResponse(Connection connection, PendingAsk<?> ask, MessageBody body) {
    Object reply;
    try {
      reply = codec.decode(body, connection);
    } catch (Exception | LinkageError e) {
      ask.fail(new io.rpcenv.RpcSerializationException("Cannot deserialize the reply to the " + ask.describe()
          + " from " + connection.peerAddress() + ": " + e, e));
      return;
    }
    ask.succeed(reply);
  }

  @Override
  public void onFailure(Connection connection, PendingAsk<?> ask, ByteBuf frame) {
    ask.fail(FailureFrame.read(frame, codec.serializer, codec.resolverFor(connection), ask.target()));
  }

  @Override
  public void onConnected(Connection connection) {
    postEvents(connection, NetworkEvent.Kind.CONNECTED, null);
  }

  @Override
  public void onDisconnected(Connection connection) {
    postEvents(connection, NetworkEvent.Kind.DISCONNECTED, null);
  }

  @Override
  public void onNetworkError(Connection connection, Throwable cause) {
    postEvents(connection, NetworkEvent.Kind.ERROR, cause);
  }

  /** Spark's addressing of events: the socket address, and a server-mode peer's listen address too. */
  private void postEvents(Connection connection, NetworkEvent.Kind kind, Throwable cause) {
    if (lifecycle.state() != EnvShutdown.RUNNING) {
      return; // our own shutdown closes connections: endpoints hear nothing of it
    }
    RpcAddress socket = connection.socketAddress();
    RpcAddress listen = connection.peerListenAddress();
    if (socket != null) {
      dispatcher.postToAll(() -> new NetworkEvent(kind, socket, cause));
    }
    if (listen != null && !listen.equals(socket)) {
      dispatcher.postToAll(() -> new NetworkEvent(kind, listen, cause));
    }
  }

  // ---- lifecycle ----

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
    checkNotOwnThread();
    lifecycle.await();
  }

  @Override
  public boolean awaitTermination(Duration timeout) {
    checkNotOwnThread();
    return lifecycle.await(timeout);
  }

  private void checkNotOwnThread() {
    if (isOwnThread()) {
      throw new IllegalStateException("awaitTermination called on " + Thread.currentThread().getName()
          + ", a thread of " + where() + " that shutdown must end; it would wait for itself");
    }
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
  public String toString() {
    return where();
  }
}
