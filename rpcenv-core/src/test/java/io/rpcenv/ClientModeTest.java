package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rpcenv.testkit.Resources;
import java.io.Serializable;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A client-mode env listens nowhere; the server reaches it over the connection it opened. */
class ClientModeTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  record Register(RpcEndpointRef worker) implements Serializable {}

  /** Keeps the refs workers register with, and asks them when told to. */
  static final class Registry extends RpcEndpoint implements ThreadSafeRpcEndpoint {
    final BlockingQueue<RpcEndpointRef> registered = new LinkedBlockingQueue<>();
    final BlockingQueue<RpcAddress> senders = new LinkedBlockingQueue<>();

    @Override
    public void receiveAndReply(Object message, RpcCallContext context) {
      if (message instanceof Register r) {
        registered.add(r.worker());
        senders.add(context.senderAddress());
        context.reply("registered");
      } else {
        context.reply(context.senderAddress());
      }
    }
  }

  @Test
  void aClientModeEnvHasNoAddressAndItsEndpointsPrintAsClientUrls() {
    RpcEnv client = envs.client("client");
    assertThat(client.address()).isNull();
    RpcEndpointRef ref = client.setupEndpoint("worker", Endpoints.echo());
    assertThat(ref.address()).isNull();
    assertThat(ref.endpointAddress()).hasToString("spark-client://worker");
    assertThat(ref.<String>askSync("local")).isEqualTo("local");
  }

  @Test
  void theServerReachesAClientEndpointOverTheClientsConnection() throws Exception {
    RpcEnv server = envs.server("server");
    Registry registry = new Registry();
    server.setupEndpoint("registry", registry);
    RpcEnv client = envs.client("client");
    BlockingQueue<Object> workerGot = new LinkedBlockingQueue<>();
    RpcEndpointRef worker =
        client.setupEndpoint(
            "worker",
            new RpcEndpoint() {
              @Override
              public void receive(Object message) {
                workerGot.add(message);
              }

              @Override
              public void receiveAndReply(Object message, RpcCallContext context) {
                context.reply("worker says " + message);
              }
            });
    RpcEndpointRef registryRef = client.setupEndpointRef(server.address(), "registry");
    assertThat(registryRef.<String>askSync(new Register(worker))).isEqualTo("registered");

    RpcEndpointRef seenByServer = registry.registered.poll(20, TimeUnit.SECONDS);
    assertThat(seenByServer.endpointAddress()).hasToString("spark-client://worker");
    assertThat(seenByServer.<String>askSync("hello")).isEqualTo("worker says hello");
    seenByServer.send("one-way to the client");
    assertThat(workerGot.poll(20, TimeUnit.SECONDS)).isEqualTo("one-way to the client");

    // a client-mode sender is known by its connection's address
    RpcAddress sender = registry.senders.poll(20, TimeUnit.SECONDS);
    assertThat(sender.host()).isEqualTo("127.0.0.1");
    assertThat(sender.port()).isPositive();
  }

  @Test
  void aClientEndpointRefIsUselessToAThirdEnvThatTheClientNeverReached() throws Exception {
    RpcEnv server = envs.server("server");
    Registry registry = new Registry();
    server.setupEndpoint("registry", registry);
    RpcEnv client = envs.client("client");
    RpcEndpointRef worker = client.setupEndpoint("worker", Endpoints.echo());
    client.setupEndpointRef(server.address(), "registry").askSync(new Register(worker));
    RpcEndpointRef atServer = registry.registered.poll(20, TimeUnit.SECONDS);

    // The server forwards the ref to a third env, which has no connection from the client.
    RpcEnv third = envs.server("third");
    Registry thirdRegistry = new Registry();
    third.setupEndpoint("registry", thirdRegistry);
    server.setupEndpointRef(third.address(), "registry").askSync(new Register(atServer));
    RpcEndpointRef atThird = thirdRegistry.registered.poll(20, TimeUnit.SECONDS);
    assertThatThrownBy(() -> atThird.send("x"))
        .isInstanceOf(RpcConnectionException.class)
        .hasMessageContaining("spark-client://worker")
        .hasMessageContaining("client-mode env");
    assertThatThrownBy(() -> atThird.askSync("x")).isInstanceOf(RpcConnectionException.class);
  }

  @Test
  void refsToTwoClientsWithTheSameEndpointNameAreDifferent() throws Exception {
    RpcEnv server = envs.server("server");
    Registry registry = new Registry();
    server.setupEndpoint("registry", registry);
    for (String name : new String[] {"c1", "c2"}) {
      RpcEnv client = envs.client(name);
      RpcEndpointRef worker =
          client.setupEndpoint("worker", Endpoints.replying((m, ctx) -> ctx.reply(name)));
      client.setupEndpointRef(server.address(), "registry").askSync(new Register(worker));
    }
    RpcEndpointRef first = registry.registered.poll(20, TimeUnit.SECONDS);
    RpcEndpointRef second = registry.registered.poll(20, TimeUnit.SECONDS);
    assertThat(first).isNotEqualTo(second);
    assertThat(first.<String>askSync("who")).isNotEqualTo(second.<String>askSync("who"));
  }

  @Test
  void senderAddressIsTheListenAddressOfAServerModeSenderAndOwnAddressLocally() {
    RpcEnv server = envs.server("server");
    RpcEndpointRef local = server.setupEndpoint("registry", new Registry());
    RpcEnv other = envs.server("other");
    RpcEndpointRef remote = other.setupEndpointRef(server.address(), "registry");
    assertThat(remote.<RpcAddress>askSync("who am I")).isEqualTo(other.address());
    assertThat(local.<RpcAddress>askSync("who am I")).isEqualTo(server.address());
  }

  @Test
  void aServerModePeerReusesTheConnectionThePeerOpened() {
    RpcEnv a = envs.server("a");
    RpcEnv b = envs.server("b");
    a.setupEndpoint("echo", Endpoints.echo());
    b.setupEndpoint("echo", Endpoints.echo());
    b.setupEndpointRef(a.address(), "echo").askSync("b to a");
    // a answers b over the connection b opened: no second connection
    a.setupEndpointRef(b.address(), "echo").askSync("a to b");
    assertThat(TestAccess.connectionCount(a)).isEqualTo(1);
    assertThat(TestAccess.connectionCount(b)).isEqualTo(1);
  }
}
