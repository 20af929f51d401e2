package io.rpcenv.internal;

import io.rpcenv.AbortableRpcFuture;
import io.rpcenv.RpcAddress;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcTimeout;
import io.rpcenv.internal.metrics.AskMetrics;
import io.rpcenv.internal.serialize.SerializedRef;
import io.rpcenv.internal.transport.Connection;
import io.rpcenv.internal.transport.Protocol;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A ref bound to the env that made or received it. It travels as a {@link SerializedRef} and is
 * bound again by the env that reads it. A ref to an endpoint of a client-mode env carries that
 * env's id, and is reachable only from that env itself or over a connection from it.
 */
final class NettyRpcEndpointRef implements RpcEndpointRef {
  @Serial private static final long serialVersionUID = 1L;

  private final transient NettyRpcEnv env;
  private final RpcAddress address;
  private final String name;
  private final long clientEnvId;
  private final transient Connection connection;
  private final transient boolean local;
  private final transient byte[] nameUtf8;

  /** The connection last used to reach a server-mode target; looked up again once it closes. */
  private transient volatile Connection lastConnection;

  /** Where asks through this ref are counted; found on the first ask. */
  private transient volatile AskMetrics askMetrics;

  /**
   * @param address the target env's listen address, or null for a client-mode target
   * @param clientEnvId the target env's id when it is in client mode, else 0
   * @param connection the connection to a client-mode target, or null
   */
  NettyRpcEndpointRef(
      NettyRpcEnv env, RpcAddress address, String name, long clientEnvId, Connection connection) {
    this.env = env;
    this.address = address;
    this.name = Objects.requireNonNull(name, "name");
    this.clientEnvId = address == null ? clientEnvId : 0;
    this.connection = connection;
    this.local = address != null ? address.equals(env.address()) : clientEnvId == env.envId();
    this.nameUtf8 = name.getBytes(StandardCharsets.UTF_8);
    if (nameUtf8.length > Protocol.MAX_ENDPOINT_NAME) {
      throw new IllegalArgumentException(
          "Endpoint name is "
              + nameUtf8.length
              + " bytes long; the limit is "
              + Protocol.MAX_ENDPOINT_NAME
              + ": "
              + name.substring(0, 40)
              + "…");
    }
  }

  boolean isLocal() {
    return local;
  }

  Connection connection() {
    return connection;
  }

  /** The asking side's metrics for this ref's endpoint, found once per ref. */
  AskMetrics askMetrics(RpcAddress peer) {
    AskMetrics m = askMetrics;
    if (m == null) { // a race makes the same lookup twice, nothing worse
      m = env.envMetrics().asks(local || peer == null ? "local" : peer.hostPort(), name);
      askMetrics = m;
    }
    return m;
  }

  Connection lastConnection() {
    return lastConnection;
  }

  void lastConnection(Connection c) {
    lastConnection = c;
  }

  byte[] nameUtf8() {
    return nameUtf8;
  }

  NettyRpcEnv env() {
    return env;
  }

  @Override
  public RpcAddress address() {
    return address;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void send(Object message) {
    env.send(this, message);
  }

  @Override
  public <T> CompletableFuture<T> ask(Object message) {
    return env.ask(this, message, env.defaultAskTimeout());
  }

  @Override
  public <T> CompletableFuture<T> ask(Object message, RpcTimeout timeout) {
    return env.ask(this, message, Objects.requireNonNull(timeout, "timeout"));
  }

  @Override
  public <T> AbortableRpcFuture<T> askAbortable(Object message, RpcTimeout timeout) {
    return env.ask(this, message, Objects.requireNonNull(timeout, "timeout"));
  }

  @Override
  public <T> T askSync(Object message) {
    return env.askSync(this, message, env.defaultAskTimeout());
  }

  @Override
  public <T> T askSync(Object message, RpcTimeout timeout) {
    return env.askSync(this, message, Objects.requireNonNull(timeout, "timeout"));
  }

  @Override
  public RpcTimeout defaultAskTimeout() {
    return env.defaultAskTimeout();
  }

  @Serial
  private Object writeReplace() {
    return new SerializedRef(address, name, clientEnvId);
  }

  @Serial
  private void readObject(ObjectInputStream in) throws InvalidObjectException {
    throw new InvalidObjectException("RpcEndpointRefs travel as SerializedRef");
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    return o instanceof NettyRpcEndpointRef r
        && name.equals(r.name)
        && Objects.equals(address, r.address)
        && clientEnvId == r.clientEnvId;
  }

  @Override
  public int hashCode() {
    return Objects.hash(address, name, clientEnvId);
  }

  @Override
  public String toString() {
    return "RpcEndpointRef(" + endpointAddress() + ")";
  }
}
