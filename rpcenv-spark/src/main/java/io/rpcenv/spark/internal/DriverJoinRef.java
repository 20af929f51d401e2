package io.rpcenv.spark.internal;

import io.rpcenv.RpcAddress;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcEnv;
import io.rpcenv.RpcException;
import io.rpcenv.plugin.PluginException;

/**
 * How an executor part reaches the driver part's {@link JoinEndpoint}: the lookup, with an error
 * that names the URL and the settings to check when it fails.
 */
final class DriverJoinRef {
  private DriverJoinRef() {}

  /**
   * The join endpoint of the driver env at {@code driverUrl}, looked up from {@code env}.
   *
   * @throws PluginException naming {@code executorId}, the URL and the settings involved
   */
  static RpcEndpointRef lookup(RpcEnv env, String driverUrl, String executorId) {
    try {
      return env.setupEndpointRef(RpcAddress.fromSparkURL(driverUrl), JoinEndpoint.NAME);
    } catch (RpcException | IllegalArgumentException e) {
      throw new PluginException(
          "rpcenv-spark on executor "
              + executorId
              + " cannot reach the driver's rpcenv env at "
              + driverUrl
              + ": check that executors can connect to that port (spark.rpcenv.port on the"
              + " driver; spark.driver.host for the host) and that both sides agree on"
              + " spark.authenticate and spark.ssl.rpc.enabled: "
              + e.getMessage(),
          e);
    }
  }
}
