package io.rpcenv.runtime.internal.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rpcenv.RpcConf;
import io.rpcenv.runtime.Driver;
import io.rpcenv.runtime.fixtures.Http;
import io.rpcenv.testkit.Resources;
import io.rpcenv.testkit.TestCertificates;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The status page with authentication and TLS: a token, a cookie, HTTPS, and no secret shown. */
class StatusPageSecurityTest {
  private static final List<String> PATHS =
      List.of(
          "",
          "metrics",
          "status.js",
          "api/v1/application",
          "api/v1/executors",
          "api/v1/endpoints",
          "api/v1/connections",
          "api/v1/plugins",
          "api/v1/history");

  @RegisterExtension final Resources resources = new Resources();
  final Http http = new Http();

  @Test
  void withAuthenticationEveryPathNeedsTheTokenFromTheUrlOrItsCookieAndNoResponseHoldsTheSecret()
      throws Exception {
    String secret = "s3cret-" + UUID.randomUUID();
    Driver driver =
        resources.add(
            Driver.start(
                StatusPageTest.conf()
                    .set("spark.authenticate", "true")
                    .set("spark.authenticate.secret", secret)));
    String url = driver.statusPageUrl().orElseThrow();
    assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+/\\?token=[A-Za-z0-9_-]{43}");
    String base = url.substring(0, url.indexOf('?'));
    String token = url.substring(url.indexOf("=") + 1);
    assertThat(token).doesNotContain(secret);

    List<String> bodies = new ArrayList<>();
    for (String p : PATHS) {
      HttpResponse<String> none = http.get(base + p);
      assertThat(none.statusCode()).as(p).isEqualTo(401);
      assertThat(none.body()).contains("spark.authenticate");
      assertThat(http.get(base + p + "?token=wrong").statusCode()).as(p).isEqualTo(401);
      assertThat(http.get(base + p, "rpcenv_ui_token=wrong").statusCode()).as(p).isEqualTo(401);
      bodies.add(none.body());
    }

    HttpResponse<String> first = http.get(url);
    assertThat(first.statusCode()).isEqualTo(200);
    String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie)
        .startsWith("rpcenv_ui_token=" + token)
        .containsIgnoringCase("HttpOnly")
        .contains("SameSite=Strict");
    for (String p : PATHS) {
      HttpResponse<String> r = http.get(base + p, "rpcenv_ui_token=" + token);
      assertThat(r.statusCode()).as(p).isEqualTo(200);
      bodies.add(r.body());
      bodies.add(r.headers().map().toString());
    }
    bodies.add(first.body());
    assertThat(bodies).noneMatch(b -> b.contains(secret));
    assertThat(String.join("\n", bodies)).contains("spark.authenticate.secret");
  }

  @Test
  void withTlsThePageIsServedOverHttpsOnlyWithTheKeyStoreGiven(@TempDir Path dir) throws Exception {
    String password = "pw-" + UUID.randomUUID();
    TestCertificates certs = new TestCertificates(dir, password);
    TestCertificates.Authority ca = certs.authority("ui-ca");
    TestCertificates.Identity id = certs.identity("localhost", ca);
    Path trust = certs.trustStore("ui-trust", ca);
    RpcConf conf =
        StatusPageTest.conf()
            .set("spark.driver.host", "localhost")
            .set("spark.driver.bindAddress", "127.0.0.1")
            .set("spark.ssl.ui.enabled", "true")
            .set("spark.ssl.ui.keyStore", id.keyStore().toString())
            .set("spark.ssl.ui.keyStorePassword", password);
    Driver driver = resources.add(Driver.start(conf));
    String url = driver.statusPageUrl().orElseThrow();
    assertThat(url).startsWith("https://localhost:");

    KeyStore ts = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(trust)) {
      ts.load(in, password.toCharArray());
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ts);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    Http https = new Http(HttpClient.newBuilder().sslContext(ssl).build());
    HttpResponse<String> page = https.get(url);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<title>");
    assertThat(https.get(url + "api/v1/application").body()).doesNotContain(password);

    // Plain HTTP to the same port gets no page, and a client that does not trust it is refused.
    String plain = url.replace("https://", "http://");
    int port = Integer.parseInt(plain.replaceAll(".*:(\\d+)/$", "$1"));
    assertThat(Http.raw("127.0.0.1", port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
        .doesNotContain("<title>");
    assertThatThrownBy(() -> http.get(url)).isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void tlsWithoutAKeyStoreIsRefusedAtStartNamingTheSettings() {
    assertThatThrownBy(
            () -> Driver.start(StatusPageTest.conf().set("spark.ssl.ui.enabled", "true")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spark.ssl.ui.keyStore")
        .hasMessageContaining("spark.ssl.rpc.keyStore");
  }
}
