package io.rpcenv;

import io.rpcenv.internal.TestAccessBridge;

/** Inspection of env internals for tests. */
final class TestAccess {
  private TestAccess() {}

  static int connectionCount(RpcEnv env) {
    return TestAccessBridge.connections(env).size();
  }

  static String tlsEngine(RpcEnv env) {
    return TestAccessBridge.tlsEngine(env);
  }
}
