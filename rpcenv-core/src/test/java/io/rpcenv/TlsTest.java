package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rpcenv.testkit.ChildJvm;
import io.rpcenv.testkit.Resources;
import io.rpcenv.testkit.TcpProxy;
import io.rpcenv.testkit.TestCertificates;
import io.rpcenv.testkit.TestCertificates.Authority;
import io.rpcenv.testkit.TestCertificates.Identity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS 1.3 on the RPC port: certificates are checked, plaintext is refused, nothing readable crosses
 * the wire.
 */
class TlsTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  @TempDir static Path dir;
  static Identity server;
  static Identity client;
  static Identity expired;
  static Identity otherHost;
  static Identity untrusted;
  static Path trust;
  static Path trustPem;

  @BeforeAll
  static void certificates() throws Exception {
    TestCertificates certs = new TestCertificates(dir);
    Authority ca = certs.authority("test-ca");
    Authority rogue = certs.authority("rogue-ca");
    server = certs.identity("server", ca);
    client = certs.identity("client", ca);
    Instant now = Instant.now();
    expired =
        certs.identity(
            "expired",
            ca,
            List.of("127.0.0.1", "localhost"),
            now.minus(Duration.ofDays(30)),
            now.minus(Duration.ofDays(1)));
    otherHost =
        certs.identity(
            "other-host",
            ca,
            List.of("other.example"),
            now.minusSeconds(3600),
            now.plus(Duration.ofDays(30)));
    untrusted = certs.identity("untrusted", rogue);
    trust = certs.trustStore("trust", ca);
    trustPem = certs.trustPem("trust", ca);
  }

  /** spark.ssl.rpc.engine for every env of the suite: {@link TlsOnTheJdkEngineTest} sets jdk. */
  static String engine = "auto";

  static RpcConf tls(Identity identity) {
    RpcConf conf =
        TestEnvs.conf()
            .set("spark.ssl.rpc.enabled", "true")
            .set("spark.ssl.rpc.engine", engine)
            .set("spark.ssl.rpc.trustStore", trust.toString())
            .set("spark.ssl.rpc.trustStorePassword", TestCertificates.PASSWORD);
    if (identity != null) {
      conf.set("spark.ssl.rpc.keyStore", identity.keyStore().toString())
          .set("spark.ssl.rpc.keyStorePassword", TestCertificates.PASSWORD);
    }
    return conf;
  }

  private RpcEnv echoServer(RpcConf conf) {
    RpcEnv env = envs.server("server", conf);
    env.setupEndpoint("echo", Endpoints.echo());
    return env;
  }

  @Test
  void openSslEncryptsWhereItLoadsAndTalksToTheJdkEngineBothWays() {
    for (String[] pair : new String[][] {{"openssl", "jdk"}, {"jdk", "openssl"}}) {
      RpcEnv srv = echoServer(tls(server).set("spark.ssl.rpc.engine", pair[0]));
      RpcEnv cli = envs.client("client", tls(null).set("spark.ssl.rpc.engine", pair[1]));
      assertThat(TestAccess.tlsEngine(srv)).startsWith(pair[0].equals("jdk") ? "JDK" : "OpenSSL");
      assertThat(TestAccess.tlsEngine(cli)).startsWith(pair[1].equals("jdk") ? "JDK" : "OpenSSL");
      RpcEndpointRef ref = cli.setupEndpointRef(srv.address(), "echo");
      assertThat(ref.<Object>askSync("over " + pair[0] + " and " + pair[1]))
          .isEqualTo("over " + pair[0] + " and " + pair[1]);
      assertThat(ref.<byte[]>askSync(new byte[3 << 20])).hasSize(3 << 20);
      srv.close();
      cli.close();
    }
  }

  @Test
  void whereOpenSslCannotLoadAutoFallsBackToTheJdkAndOpenSslIsRefusedWithTheReason()
      throws Exception {
    RpcEnv srv = echoServer(tls(server));
    for (String engine : List.of("auto", "openssl")) {
      ChildJvm child =
          resources.add(
              ChildJvm.start(
                  "tls-" + engine,
                  io.rpcenv.fixtures.TlsAskMain.class,
                  List.of("-Dio.netty.handler.ssl.noOpenSsl=true"),
                  java.util.Map.of(),
                  engine,
                  trust.toString(),
                  TestCertificates.PASSWORD,
                  String.valueOf(srv.address().port())));
      String line = child.awaitLine(l -> l.startsWith("ENGINE ") || l.startsWith("FAILED "), WAIT);
      if (engine.equals("auto")) {
        assertThat(line).startsWith("ENGINE JDK");
        assertThat(child.awaitLine(l -> l.startsWith("REPLY "), WAIT)).isEqualTo("REPLY hello");
      } else {
        assertThat(line)
            .startsWith("FAILED ")
            .contains("spark.ssl.rpc.engine=openssl, but OpenSSL (netty-tcnative) cannot load here")
            .contains("noOpenSsl");
      }
      assertThat(child.waitFor(WAIT)).isZero();
    }
  }

  @Test
  void anUnknownEngineIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> envs.client("client", tls(null).set("spark.ssl.rpc.engine", "gnutls")))
        .hasMessageContaining("spark.ssl.rpc.engine")
        .hasMessageContaining("auto, openssl or jdk");
  }

  @Test
  void asksWorkOverTlsWithoutClientCertificates() {
    RpcEnv s = echoServer(tls(server));
    RpcEnv c = envs.client("client", tls(null));
    RpcEndpointRef ref = c.setupEndpointRef(s.address(), "echo");
    assertThat(ref.<String>askSync("over tls")).isEqualTo("over tls");
    assertThat(
            c.metrics()
                .getGauges()
                .get("rpcenv_connections_open{direction=\"out\",tls=\"true\"}")
                .getValue())
        .isEqualTo(1L);
  }

  @Test
  void aFrameFarOverTheLimitClosesTheTlsConnectionAndTheSenderLearnsWhy() {
    RpcEnv s = echoServer(tls(server).set("spark.rpc.message.maxSize", "1k"));
    RpcEndpointRef ref =
        envs.client("client", tls(null).set("spark.rpc.message.maxSize", "32m"))
            .setupEndpointRef(s.address(), "echo");
    // the receiver closes while the rest of the 16 MiB is still arriving; its reason must get
    // through
    assertThatThrownBy(() -> ref.askSync(new byte[16 << 20]))
        .isInstanceOf(RpcConnectionException.class)
        .hasMessageContaining("spark.rpc.message.maxSize");
    assertThat(ref.<String>askSync("a new connection")).isEqualTo("a new connection");
  }

  @Test
  void serverToServerWorksOverTlsInBothDirections() {
    RpcEnv a = echoServer(tls(server));
    RpcEnv b = envs.server("b", tls(server));
    b.setupEndpoint("echo", Endpoints.echo());
    assertThat(b.setupEndpointRef(a.address(), "echo").<String>askSync("b to a"))
        .isEqualTo("b to a");
    assertThat(a.setupEndpointRef(b.address(), "echo").<String>askSync("a to b"))
        .isEqualTo("a to b");
  }

  @Test
  void mutualTlsAcceptsAClientWithACertificateAndRefusesOneWithout() {
    RpcEnv s = echoServer(tls(server).set("spark.ssl.rpc.needClientAuth", "true"));
    RpcEndpointRef withCert =
        envs.client("with", tls(client)).setupEndpointRef(s.address(), "echo");
    assertThat(withCert.<String>askSync("mutual")).isEqualTo("mutual");
    RpcEnv without = envs.client("without", tls(null));
    assertThatThrownBy(() -> without.setupEndpointRef(s.address(), "echo"))
        .isInstanceOf(RpcAuthenticationException.class);
  }

  @Test
  void aServerCertificateFromAnAuthorityWeDoNotTrustIsRefused() {
    RpcEnv s = echoServer(tls(untrusted));
    assertThatThrownBy(() -> envs.client("client", tls(null)).setupEndpointRef(s.address(), "echo"))
        .isInstanceOf(RpcAuthenticationException.class)
        .hasMessageContaining("TLS handshake with " + s.address());
  }

  @Test
  void anExpiredServerCertificateIsRefused() {
    RpcEnv s = echoServer(tls(expired));
    assertThatThrownBy(() -> envs.client("client", tls(null)).setupEndpointRef(s.address(), "echo"))
        .isInstanceOf(RpcAuthenticationException.class)
        .satisfies(e -> assertThat(e.getMessage() + e.getCause()).containsIgnoringCase("expired"));
  }

  @Test
  void aCertificateForAnotherHostIsRefused() {
    RpcEnv s = echoServer(tls(otherHost));
    assertThatThrownBy(() -> envs.client("client", tls(null)).setupEndpointRef(s.address(), "echo"))
        .isInstanceOf(RpcAuthenticationException.class)
        .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("127.0.0.1"));
  }

  @Test
  void aPlaintextClientIsRefusedWithAClearError() {
    RpcEnv s = echoServer(tls(server));
    assertThatThrownBy(
            () ->
                envs.client("plain", TestEnvs.conf().set("spark.rpc.numRetries", "0"))
                    .setupEndpointRef(s.address(), "echo"))
        .isInstanceOf(RpcConnectionException.class)
        .hasMessageContaining("spark.ssl.rpc.enabled");
  }

  @Test
  void aTlsClientRefusesAPlaintextServerWithAClearError() {
    RpcEnv s = echoServer(TestEnvs.conf());
    assertThatThrownBy(() -> envs.client("client", tls(null)).setupEndpointRef(s.address(), "echo"))
        .isInstanceOf(RpcAuthenticationException.class)
        .hasMessageContaining("spark.ssl.rpc.enabled");
  }

  @Test
  void tlsWithoutATrustStoreRefusesToStart() {
    RpcConf conf =
        TestEnvs.conf()
            .set("spark.ssl.rpc.enabled", "true")
            .set("spark.ssl.rpc.keyStore", server.keyStore().toString())
            .set("spark.ssl.rpc.keyStorePassword", TestCertificates.PASSWORD);
    assertThatThrownBy(() -> RpcEnv.create(RpcEnvConfig.builder("env").conf(conf).build()))
        .hasMessageContaining("refuses to start rather than trust every certificate");
  }

  @Test
  void aListeningEnvWithoutAKeyRefusesToStart() {
    assertThatThrownBy(() -> RpcEnv.create(RpcEnvConfig.builder("env").conf(tls(null)).build()))
        .isInstanceOf(RpcException.class)
        .hasMessageContaining("spark.ssl.rpc.keyStore");
  }

  @Test
  void pemKeysAndCertificatesWorkToo() {
    RpcConf pem =
        TestEnvs.conf()
            .set("spark.ssl.rpc.enabled", "true")
            .set("spark.ssl.rpc.privateKey", server.privateKeyPem().toString())
            .set("spark.ssl.rpc.certChain", server.certChainPem().toString())
            .set("spark.ssl.rpc.trustCertificates", trustPem.toString());
    RpcEnv s = echoServer(pem);
    RpcEndpointRef ref = envs.client("client", tls(null)).setupEndpointRef(s.address(), "echo");
    assertThat(ref.<String>askSync("pem")).isEqualTo("pem");
  }

  @Test
  void tlsAndTheSharedSecretBothApply() {
    RpcEnv s =
        echoServer(
            tls(server).set("spark.authenticate", "true").set("spark.authenticate.secret", "a"));
    RpcEnv good =
        envs.client(
            "good",
            tls(null).set("spark.authenticate", "true").set("spark.authenticate.secret", "a"));
    assertThat(good.setupEndpointRef(s.address(), "echo").<String>askSync("both"))
        .isEqualTo("both");
    RpcEnv bad =
        envs.client(
            "bad",
            tls(null).set("spark.authenticate", "true").set("spark.authenticate.secret", "b"));
    assertThatThrownBy(() -> bad.setupEndpointRef(s.address(), "echo"))
        .isInstanceOf(RpcAuthenticationException.class)
        .hasMessageContaining("spark.authenticate.secret");
  }

  /** The marker crosses in plaintext without TLS (so the check can fail) and never with it. */
  @Test
  void aPayloadMarkerNeverAppearsOnTheWireUnderTls() throws Exception {
    for (boolean encrypted : new boolean[] {false, true}) {
      String marker = "MARKER-" + UUID.randomUUID();
      RpcEnv s = echoServer(encrypted ? tls(server) : TestEnvs.conf());
      try (TcpProxy proxy = TcpProxy.start("127.0.0.1", s.address().port())) {
        RpcEnv c = envs.client("client-" + encrypted, encrypted ? tls(null) : TestEnvs.conf());
        RpcEndpointRef ref = c.setupEndpointRef(new RpcAddress("127.0.0.1", proxy.port()), "echo");
        assertThat(ref.<String>askSync(marker)).isEqualTo(marker);
        c.close();
        String wire =
            new String(proxy.recorded(TcpProxy.Direction.TO_TARGET), StandardCharsets.ISO_8859_1)
                + new String(
                    proxy.recorded(TcpProxy.Direction.FROM_TARGET), StandardCharsets.ISO_8859_1);
        assertThat(wire.contains(marker))
            .as("marker on the wire, encrypted=%s", encrypted)
            .isEqualTo(!encrypted);
        assertThat(wire).isNotEmpty();
      }
    }
  }
}
