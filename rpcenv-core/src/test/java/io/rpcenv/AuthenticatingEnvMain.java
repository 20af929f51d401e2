package io.rpcenv;

/**
 * Starts and stops one env with authentication on, its secret from the environment ({@code
 * _SPARK_AUTH_SECRET}), so a test can read what the env logs at start.
 */
public final class AuthenticatingEnvMain {
  private AuthenticatingEnvMain() {}

  public static void main(String[] args) {
    try (RpcEnv env =
        RpcEnv.create(
            "authenticating",
            "127.0.0.1",
            0,
            new RpcConf().set("spark.authenticate", "true"),
            null)) {
      System.out.println("STARTED " + env.address());
    }
    System.out.println("STOPPED");
  }
}
