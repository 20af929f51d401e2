package io.rpcenv;

import io.rpcenv.testkit.Resources;

/** Creates envs on 127.0.0.1 with ephemeral ports, closed by the test's {@link Resources}. */
final class TestEnvs {
  private final Resources resources;

  TestEnvs(Resources resources) {
    this.resources = resources;
  }

  /** Default conf with short timeouts so that a failing test fails fast. */
  static RpcConf conf() {
    return new RpcConf().set("spark.rpc.askTimeout", "20s").set("spark.rpc.lookupTimeout", "20s")
        .set("spark.rpc.retry.wait", "100ms");
  }

  RpcEnv server(String name) {
    return server(name, conf());
  }

  RpcEnv server(String name, RpcConf conf) {
    return resources.add(RpcEnv.create(name, "127.0.0.1", 0, conf, null));
  }

  RpcEnv client(String name) {
    return client(name, conf());
  }

  RpcEnv client(String name, RpcConf conf) {
    return resources.add(RpcEnv.create(name, "127.0.0.1", 0, conf, null, true));
  }
}
