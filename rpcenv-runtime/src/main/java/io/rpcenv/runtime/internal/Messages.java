package io.rpcenv.runtime.internal;

import io.rpcenv.PrometheusFamily;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.plugin.ExecutorInfo;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** What the driver and its executors say to each other. */
public final class Messages {
  private Messages() {}

  /** The name of the driver's endpoint. */
  public static final String DRIVER_ENDPOINT = "driver";

  /** The name of each executor's endpoint. */
  public static final String EXECUTOR_ENDPOINT = "executor";

  /** Executor to driver: what is the application's conf? */
  public record FetchConf(String executorId) implements Serializable {}

  /** The driver's answer to {@link FetchConf}. */
  public record AppConf(String appId, Map<String, String> settings) implements Serializable {}

  /** Executor to driver, once its plugins are running. */
  public record RegisterExecutor(ExecutorInfo info, RpcEndpointRef executor, RpcEndpointRef plugins)
      implements Serializable {}

  /**
   * Executor to driver, every heartbeat interval, with the executor's metrics (its env's and its
   * plugins') as they are now; the reply says whether the driver still knows it.
   */
  public record Heartbeat(String executorId, List<PrometheusFamily> metrics)
      implements Serializable {
    public Heartbeat {
      metrics = List.copyOf(metrics);
    }
  }

  /**
   * Executor to driver, when it stops by itself. An ask, so that the driver knows which connection
   * it came from: only the executor's own is believed.
   */
  public record ExecutorExiting(String executorId, String reason) implements Serializable {}

  /** Driver to executor, one way: stop. */
  public record StopExecutor(String reason) implements Serializable {}

  /**
   * Driver to itself: tell every executor to stop. Carries the driver endpoint's private token, so
   * the same message from the network is refused.
   */
  public record StopExecutors(String token) implements Serializable {}

  /**
   * Driver to itself, periodically: expire executors that stopped heartbeating. Carries the token
   * too.
   */
  public record CheckExpiry(String token) implements Serializable {}
}
