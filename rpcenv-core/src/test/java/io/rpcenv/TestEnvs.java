package io.rpcenv;

import io.rpcenv.testkit.Resources;

/**
 * Creates envs on 127.0.0.1 with ephemeral ports, closed by the test's {@link Resources} however
 * the test ends. Shared with the other modules' tests through rpcenv-core's test-jar.
 */
public final class TestEnvs {
  private final Resources resources;

  public TestEnvs(Resources resources) {
    this.resources = resources;
  }

  /**
   * Default conf with short timeouts so that a failing test fails fast. {@code
   * -Drpcenv.test.ioMode=io_uring} (or nio, epoll) runs the tests on that transport.
   */
  public static RpcConf conf() {
    RpcConf conf =
        new RpcConf()
            .set("spark.rpc.askTimeout", "20s")
            .set("spark.rpc.lookupTimeout", "20s")
            .set("spark.rpc.retry.wait", "100ms");
    String mode = System.getProperty("rpcenv.test.ioMode");
    return mode == null ? conf : conf.set("spark.rpc.io.mode", mode);
  }

  /** A server-mode env with the short-timeout {@link #conf()}. */
  public RpcEnv server(String name) {
    return server(name, conf());
  }

  /** A server-mode env with {@code conf}. */
  public RpcEnv server(String name, RpcConf conf) {
    return resources.add(RpcEnv.create(RpcEnvConfig.builder(name).conf(conf).build()));
  }

  /** A client-mode env with the short-timeout {@link #conf()}. */
  public RpcEnv client(String name) {
    return client(name, conf());
  }

  /** A client-mode env with {@code conf}. */
  public RpcEnv client(String name, RpcConf conf) {
    return resources.add(
        RpcEnv.create(RpcEnvConfig.builder(name).conf(conf).clientMode(true).build()));
  }
}
