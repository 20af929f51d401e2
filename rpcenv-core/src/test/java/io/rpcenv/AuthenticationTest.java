package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.example.untrusted.Tripwire;
import io.rpcenv.testkit.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Shared-secret authentication: mutual, fast to fail, no fallback, nothing read before it. */
class AuthenticationTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  static RpcConf secret(String s) {
    return TestEnvs.conf().set("spark.authenticate", "true").set("spark.authenticate.secret", s);
  }

  @BeforeEach
  void reset() {
    Tripwire.TRIPPED.set(0);
  }

  private RpcEnv server(String secret, AtomicInteger calls) {
    // Tripwire is allowed, so that only authentication stands between the network and
    // deserialization.
    RpcEnv server =
        envs.server(
            "server",
            (secret == null ? TestEnvs.conf() : secret(secret))
                .set("spark.rpc.serializer.allowList", "com.example.untrusted.*"));
    server.setupEndpoint(
        "echo",
        Endpoints.replying(
            (m, ctx) -> {
              calls.incrementAndGet();
              ctx.reply(m);
            }));
    return server;
  }

  @ParameterizedTest
  @EnumSource(
      value = Topology.class,
      names = {"REMOTE_SERVER", "REMOTE_CLIENT_MODE"})
  void theRightSecretWorksForLookupAskAndSend(Topology t) throws Exception {
    RpcEnv host = envs.server("host", secret("s3cret"));
    BlockingQueue<Object> sent = new LinkedBlockingQueue<>();
    host.setupEndpoint(
        "echo",
        new RpcEndpoint() {
          @Override
          public void receiveAndReply(Object message, RpcCallContext context) {
            context.reply(message);
          }

          @Override
          public void receive(Object message) {
            sent.add(message);
          }
        });
    RpcEnv caller = t.caller(envs, host, secret("s3cret"));
    RpcEndpointRef ref = caller.setupEndpointRef(host.address(), "echo");
    assertThat(ref.<String>askSync("authenticated")).isEqualTo("authenticated");
    ref.send("one-way");
    assertThat(sent.poll(20, TimeUnit.SECONDS)).isEqualTo("one-way");
  }

  @Test
  void aWrongSecretFailsFastWithAnAuthenticationErrorAndTheServerCloses() {
    AtomicInteger calls = new AtomicInteger();
    RpcEnv server = server("right", calls);
    RpcEnv client = envs.client("client", secret("wrong"));
    long start = System.nanoTime();
    assertThatThrownBy(() -> client.setupEndpointRef(server.address(), "echo"))
        .isInstanceOf(RpcAuthenticationException.class)
        .hasMessageContaining("spark.authenticate.secret");
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    System.out.println("wrong secret detected after " + ms + " ms");
    assertThat(ms)
        .isLessThan(3_000); // the issue asks for a second; this leaves room for a loaded machine
    await().atMost(Duration.ofSeconds(20)).until(() -> TestAccess.connectionCount(server) == 0);
    assertThat(calls).hasValue(0);
  }

  @Test
  void aClientWithoutTheSecretIsRefusedByAnAuthenticatingServer() {
    RpcEnv server = server("right", new AtomicInteger());
    RpcEnv client = envs.client("client");
    assertThatThrownBy(() -> client.setupEndpointRef(server.address(), "echo"))
        .isInstanceOf(RpcAuthenticationException.class)
        .hasMessageContaining("requires authentication");
  }

  @Test
  void anAuthenticatingClientRefusesAServerThatDoesNotAuthenticate() {
    RpcEnv server = server(null, new AtomicInteger());
    RpcEnv client = envs.client("client", secret("mine"));
    assertThatThrownBy(() -> client.setupEndpointRef(server.address(), "echo"))
        .isInstanceOf(RpcAuthenticationException.class)
        .hasMessageContaining("does not authenticate")
        .hasMessageContaining("no fallback");
  }

  @Test
  void authenticationWithoutASecretRefusesToStart() {
    RpcConf conf = TestEnvs.conf().set("spark.authenticate", "true");
    assertThatThrownBy(() -> RpcEnv.create(RpcEnvConfig.builder("env").conf(conf).build()))
        .hasMessageContaining("no secret")
        .hasMessageContaining("spark.authenticate.secret.file");
  }

  @Test
  void theSecretMayComeFromAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("secret");
    Files.writeString(file, "from-a-file\n");
    RpcConf conf =
        TestEnvs.conf()
            .set("spark.authenticate", "true")
            .set("spark.authenticate.secret.file", file.toString());
    RpcEnv server = envs.server("server", conf);
    server.setupEndpoint("echo", Endpoints.echo());
    RpcEndpointRef ref =
        envs.client("client", secret("from-a-file")).setupEndpointRef(server.address(), "echo");
    assertThat(ref.<String>askSync("ok")).isEqualTo("ok");
  }

  @Test
  void anUnauthenticatedPeersCraftedFramesAreNeverDeserialized() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    RpcEnv server = server("right", calls);
    // 1. no authentication at all, straight to an ask, a send and a lookup
    for (int kind = 0; kind < 3; kind++) {
      try (RawConnection raw = new RawConnection(server.address().port())) {
        raw.hello(null);
        try {
          switch (kind) {
            case 0 -> raw.request(1, "echo", new Tripwire("ask"));
            case 1 -> raw.oneWay("echo", new Tripwire("send"));
            default -> raw.request(2, "endpoint-verifier", new Tripwire("lookup"));
          }
        } catch (java.net.SocketException closedFirst) {
          // the server may refuse the unauthenticated HELLO before the crafted frame is even
          // written
        }
        assertThat(raw.readsEof(Duration.ofSeconds(20))).isTrue();
      }
    }
    // 2. announces authentication, then skips the proof
    try (RawConnection raw = new RawConnection(server.address().port())) {
      raw.hello(new byte[32]);
      raw.readPreface();
      assertThat(raw.readFrame().type()).isEqualTo(RawConnection.HELLO);
      raw.request(3, "echo", new Tripwire("no proof"));
      assertThat(raw.readsEof(Duration.ofSeconds(20))).isTrue();
    }
    // 3. a reply for an ask that was never made
    try (RawConnection raw = new RawConnection(server.address().port())) {
      raw.hello(null);
      try {
        raw.frame(
            RawConnection.RESPONSE,
            RawConnection.requestPayload(7, "", RawConnection.javaBody(new Tripwire("r"))));
      } catch (java.net.SocketException closedFirst) {
        // refused at the HELLO already
      }
      assertThat(raw.readsEof(Duration.ofSeconds(20))).isTrue();
    }
    assertThat(Tripwire.TRIPPED).hasValue(0);
    assertThat(calls).hasValue(0);
    // the same message from an authenticated peer does reach deserialization: the tripwire works
    RpcEndpointRef ok =
        envs.client(
                "client",
                secret("right").set("spark.rpc.serializer.allowList", "com.example.untrusted.*"))
            .setupEndpointRef(server.address(), "echo");
    assertThat(ok.<Object>askSync(new Tripwire("authenticated")).toString())
        .isEqualTo("Tripwire(authenticated)");
    assertThat(Tripwire.TRIPPED.get()).isPositive();
  }

  @Test
  void aReplayedHandshakeIsRejected() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    RpcEnv server = server("right", calls);
    byte[] key = RpcSecurityManager.builder().authenticate("right").build().authenticationKey();
    byte[] recorded;
    try (RawConnection honest = new RawConnection(server.address().port())) {
      honest.authenticate(key);
      honest.request(1, "echo", "hello");
      assertThat(honest.readFrame().type()).isEqualTo(RawConnection.RESPONSE);
      recorded = honest.written.toByteArray();
    }
    assertThat(calls).hasValue(1);
    try (RawConnection replay = new RawConnection(server.address().port())) {
      replay.out.write(recorded); // the same bytes, but the server's nonce is new
      replay.out.flush();
      assertThat(replay.readsEof(Duration.ofSeconds(20))).isTrue();
    }
    assertThat(calls).hasValue(1);
  }

  @Test
  void authenticationAppliesToClientModeEndpointsReachedOverTheClientsConnection()
      throws Exception {
    RpcEnv server = envs.server("server", secret("s"));
    BlockingQueue<RpcEndpointRef> registered = new LinkedBlockingQueue<>();
    server.setupEndpoint(
        "registry",
        Endpoints.replying(
            (m, ctx) -> {
              registered.add((RpcEndpointRef) m);
              ctx.reply(true);
            }));
    RpcEnv client = envs.client("client", secret("s"));
    RpcEndpointRef worker =
        client.setupEndpoint("worker", Endpoints.replying((m, ctx) -> ctx.reply("worker: " + m)));
    client.setupEndpointRef(server.address(), "registry").askSync(worker);
    assertThat(registered.poll(20, TimeUnit.SECONDS).<String>askSync("hi")).isEqualTo("worker: hi");
  }

  @Test
  void theAcceptingSideProvesNothingUntilTheConnectingSideHas() throws Exception {
    RpcEnv server = server("right", new AtomicInteger());
    try (RawConnection raw = new RawConnection(server.address().port())) {
      byte[] nonce = new byte[32];
      new java.security.SecureRandom().nextBytes(nonce);
      raw.hello(nonce);
      raw.readPreface();
      RawConnection.Frame hello = raw.readFrame();
      assertThat(hello.type()).isEqualTo(RawConnection.HELLO);
      // flags, env id, window (messages, bytes), host, port and a nonce: nothing from the secret
      int host = server.address().host().length();
      assertThat(hello.payload()).hasSize(1 + 8 + 4 + 8 + 2 + host + 4 + 32);
      raw.frame(RawConnection.AUTH, new byte[32]); // a proof that does not hold
      RawConnection.Frame next = raw.readFrame();
      assertThat(next.type())
          .as("the server's next frame is its refusal, not its proof")
          .isEqualTo(RawConnection.CLOSE);
      assertThat(next.text()).contains("authentication failed");
    }
  }

  @Test
  void aShortSecretIsWarnedAboutAtStartAndALongOneIsNot() throws Exception {
    String warning = "characters long: whoever records one handshake can try guesses";
    try (io.rpcenv.testkit.ChildJvm weak =
        io.rpcenv.testkit.ChildJvm.start(
            "weak",
            AuthenticatingEnvMain.class,
            java.util.Map.of(RpcSecurityManager.SECRET_ENV, "hunter2"))) {
      String line = weak.awaitLine(l -> l.contains(warning), Duration.ofSeconds(60));
      assertThat(line)
          .contains("WARN")
          .contains("_SPARK_AUTH_SECRET")
          .contains("only 7 characters")
          .contains("openssl rand -base64 32")
          .doesNotContain("hunter2");
      weak.awaitLine(l -> l.startsWith("STOPPED"), Duration.ofSeconds(60));
    }
    try (io.rpcenv.testkit.ChildJvm strong =
        io.rpcenv.testkit.ChildJvm.start(
            "strong",
            AuthenticatingEnvMain.class,
            java.util.Map.of(RpcSecurityManager.SECRET_ENV, RpcSecurityManager.generateSecret()))) {
      strong.awaitLine(l -> l.startsWith("STOPPED"), Duration.ofSeconds(60));
      assertThat(strong.lines()).noneMatch(l -> l.contains(warning));
    }
  }
}
