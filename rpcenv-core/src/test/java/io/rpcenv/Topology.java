package io.rpcenv;

/**
 * Where the asking env sits relative to the endpoint: the same env, another server env, a
 * client-mode env.
 */
enum Topology {
  LOCAL,
  REMOTE_SERVER,
  REMOTE_CLIENT_MODE;

  /** An env to call from, given the env that hosts the endpoint. */
  RpcEnv caller(TestEnvs envs, RpcEnv host, RpcConf conf) {
    return switch (this) {
      case LOCAL -> host;
      case REMOTE_SERVER -> envs.server("caller", conf);
      case REMOTE_CLIENT_MODE -> envs.client("caller", conf);
    };
  }

  /** A ref to {@code name} on {@code host}, as seen from {@code caller}. */
  RpcEndpointRef ref(RpcEnv caller, RpcEnv host, RpcEndpointRef local, String name) {
    return this == LOCAL ? local : caller.setupEndpointRef(host.address(), name);
  }
}
