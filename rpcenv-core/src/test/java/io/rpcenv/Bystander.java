package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client of a server env's "echo" endpoint that stands by while a test attacks the server, and
 * checks afterwards that the server still serves it and a newcomer.
 */
final class Bystander {
  private final TestEnvs envs;
  private final RpcEnv server;
  private final RpcEndpointRef echo;

  /** Sets up "echo" on {@code server} and connects a bystander to it. */
  Bystander(TestEnvs envs, RpcEnv server) {
    this.envs = envs;
    this.server = server;
    server.setupEndpoint("echo", Endpoints.echo());
    this.echo = envs.client("bystander").setupEndpointRef(server.address(), "echo");
    assertThat(echo.<String>askSync("before")).isEqualTo("before");
  }

  /** The bystander's connection still works, and so does a new client's. */
  void assertStillServing() {
    assertThat(echo.<String>askSync("after")).isEqualTo("after");
    RpcEndpointRef newcomer =
        envs.client("newcomer-" + System.nanoTime()).setupEndpointRef(server.address(), "echo");
    assertThat(newcomer.<String>askSync("new")).isEqualTo("new");
  }
}
