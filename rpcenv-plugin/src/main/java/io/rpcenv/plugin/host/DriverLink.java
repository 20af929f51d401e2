package io.rpcenv.plugin.host;

import io.rpcenv.RpcAddress;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcEnv;
import io.rpcenv.plugin.internal.PluginEndpoint;

/**
 * How a plugin context reaches the driver's plugin endpoint. A failed lookup is reported to the
 * caller and tried again on the next call; only a ref that worked is kept.
 */
@FunctionalInterface
public interface DriverLink {
  /**
   * The driver plugin endpoint; throws an {@link io.rpcenv.RpcException} saying why it cannot be
   * reached.
   */
  RpcEndpointRef driverPluginEndpoint();

  /** Looks the endpoint up at {@code driver} from {@code env}, caching only success. */
  static DriverLink lookup(RpcEnv env, RpcAddress driver) {
    return new DriverLink() {
      private volatile RpcEndpointRef ref;

      @Override
      public RpcEndpointRef driverPluginEndpoint() {
        RpcEndpointRef r = ref;
        if (r == null) {
          r = env.setupEndpointRef(driver, PluginEndpoint.DRIVER_NAME);
          ref = r;
        }
        return r;
      }
    };
  }
}
