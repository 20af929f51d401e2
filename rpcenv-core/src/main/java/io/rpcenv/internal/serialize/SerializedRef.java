package io.rpcenv.internal.serialize;

import io.rpcenv.AbortableRpcFuture;
import io.rpcenv.RpcAddress;
import io.rpcenv.RpcEndpointAddress;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcException;
import io.rpcenv.RpcTimeout;
import java.util.concurrent.CompletableFuture;

/**
 * The serialized form of an endpoint ref. The receiving env replaces it with a live ref while
 * deserializing; one deserialized anywhere else stays this unbound form, whose operations fail with
 * an error that says so.
 *
 * @param address the endpoint's env address, or null for a client-mode env
 * @param name the endpoint name
 * @param clientEnvId the id of the client-mode env the endpoint lives in (0 for server mode)
 */
public record SerializedRef(RpcAddress address, String name, long clientEnvId)
    implements RpcEndpointRef {
  private static final long serialVersionUID = 1L;

  private RpcException unbound() {
    return new RpcException(
        "The ref to "
            + new RpcEndpointAddress(address, name)
            + " was deserialized outside "
            + "an RpcEnv and cannot send; pass refs inside rpcenv messages instead");
  }

  @Override
  public void send(Object message) {
    throw unbound();
  }

  @Override
  public <T> CompletableFuture<T> ask(Object message) {
    return CompletableFuture.failedFuture(unbound());
  }

  @Override
  public <T> CompletableFuture<T> ask(Object message, RpcTimeout timeout) {
    return CompletableFuture.failedFuture(unbound());
  }

  @Override
  public <T> AbortableRpcFuture<T> askAbortable(Object message, RpcTimeout timeout) {
    throw unbound();
  }

  @Override
  public <T> T askSync(Object message) {
    throw unbound();
  }

  @Override
  public <T> T askSync(Object message, RpcTimeout timeout) {
    throw unbound();
  }

  @Override
  public RpcTimeout defaultAskTimeout() {
    throw unbound();
  }

  @Override
  public String toString() {
    return "RpcEndpointRef(" + new RpcEndpointAddress(address, name) + ", unbound)";
  }
}
