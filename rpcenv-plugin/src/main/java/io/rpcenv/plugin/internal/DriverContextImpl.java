package io.rpcenv.plugin.internal;

import io.rpcenv.RpcAddress;
import io.rpcenv.RpcConf;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcException;
import io.rpcenv.plugin.DriverContext;
import io.rpcenv.plugin.ExecutorInfo;
import io.rpcenv.plugin.host.ExecutorDirectory;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link DriverContext} of one driver plugin. */
public final class DriverContextImpl implements DriverContext {
  private static final Logger LOG = LoggerFactory.getLogger(DriverContextImpl.class);

  private final String pluginName;
  private final Supplier<String> appId;
  private final RpcConf conf;
  private final RpcAddress address;
  private final ExecutorDirectory executors;

  public DriverContextImpl(
      String pluginName,
      Supplier<String> appId,
      RpcConf conf,
      RpcAddress address,
      ExecutorDirectory executors) {
    this.pluginName = pluginName;
    this.appId = appId;
    this.conf = conf;
    this.address = address;
    this.executors = executors;
  }

  @Override
  public String appId() {
    return appId.get();
  }

  @Override
  public RpcConf conf() {
    return conf;
  }

  @Override
  public RpcAddress address() {
    return address;
  }

  @Override
  public List<ExecutorInfo> executors() {
    return executors.executors();
  }

  private RpcEndpointRef endpointOf(String executorId) {
    RpcEndpointRef ref = executors.pluginEndpoint(executorId);
    if (ref == null) {
      throw new IllegalArgumentException(
          "No live executor '"
              + executorId
              + "' with plugins (live executors: "
              + executors.executors().stream().map(ExecutorInfo::executorId).toList()
              + ")");
    }
    return ref;
  }

  @Override
  public void sendToExecutor(String executorId, Object message) {
    endpointOf(executorId).send(new PluginMessage(pluginName, message));
  }

  @Override
  public CompletableFuture<Object> askExecutorAsync(String executorId, Object message) {
    CompletableFuture<Object> result = new CompletableFuture<>();
    RpcEndpointRef ref;
    try {
      ref = endpointOf(executorId);
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
      return result;
    }
    ref.ask(new PluginMessage(pluginName, message))
        .whenComplete(
            (reply, error) -> {
              if (error == null) {
                result.complete(reply);
              } else {
                result.completeExceptionally(Replies.unwrap(error));
              }
            });
    return result;
  }

  @Override
  public Object askExecutor(String executorId, Object message) throws Exception {
    try {
      return askExecutorAsync(executorId, message).get();
    } catch (ExecutionException e) {
      throw Replies.rethrow(e);
    }
  }

  @Override
  public int broadcast(Object message) {
    int sent = 0;
    for (ExecutorInfo e : executors.executors()) {
      RpcEndpointRef ref = executors.pluginEndpoint(e.executorId());
      if (ref == null) {
        continue;
      }
      try {
        ref.send(new PluginMessage(pluginName, message));
        sent++;
      } catch (RpcException ex) {
        LOG.warn(
            "Broadcast of {} from plugin {} did not reach executor {}: {}",
            PluginEndpoint.className(message),
            pluginName,
            e.executorId(),
            ex.getMessage());
      }
    }
    return sent;
  }
}
