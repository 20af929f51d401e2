package io.rpcenv.plugin.host;

import io.rpcenv.RpcEndpointRef;
import io.rpcenv.plugin.ExecutorInfo;
import java.util.List;

/** What the host of driver plugins knows of the live executors, for driver-to-executor messages. */
public interface ExecutorDirectory {
  /** The live executors. */
  List<ExecutorInfo> executors();

  /**
   * The plugin endpoint of executor {@code executorId}, or null if it is unknown or has no plugins.
   */
  RpcEndpointRef pluginEndpoint(String executorId);

  /** A directory with no executors, for hosts without any. */
  ExecutorDirectory NONE =
      new ExecutorDirectory() {
        @Override
        public List<ExecutorInfo> executors() {
          return List.of();
        }

        @Override
        public RpcEndpointRef pluginEndpoint(String executorId) {
          return null;
        }
      };
}
