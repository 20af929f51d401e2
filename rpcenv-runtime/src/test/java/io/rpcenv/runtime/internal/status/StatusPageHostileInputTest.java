package io.rpcenv.runtime.internal.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.rpcenv.runtime.Driver;
import io.rpcenv.runtime.fixtures.Http;
import io.rpcenv.runtime.fixtures.RuntimeTestPlugin;
import io.rpcenv.testkit.Resources;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What strangers can send the status server: each gets a short plain 4xx, nothing is read from the
 * file system, and the page and RPC keep working for everyone else.
 */
class StatusPageHostileInputTest {
  @RegisterExtension final Resources resources = new Resources();
  final Http http = new Http();
  Driver driver;
  String url;
  int port;

  @BeforeEach
  void start() throws Exception {
    driver = resources.add(Driver.start(StatusPageTest.conf()));
    driver.startLocalExecutors(1);
    assertThat(driver.awaitExecutors(1, Duration.ofSeconds(60))).isTrue();
    url = driver.statusPageUrl().orElseThrow();
    port = Integer.parseInt(url.replaceAll(".*:(\\d+)/$", "$1"));
  }

  private String raw(String request) throws Exception {
    return Http.raw("127.0.0.1", port, request);
  }

  private void stillServes() throws Exception {
    assertThat(http.get(url + "api/v1/application").statusCode()).isEqualTo(200);
    assertThat(RuntimeTestPlugin.driver.askExecutor("1", "still?"))
        .isEqualTo("executor 1 answers still?");
  }

  @Test
  void malformedRequestsGetBadRequestAndTheConnectionClosed() throws Exception {
    for (String junk :
        List.of(
            "NONSENSE\r\n\r\n",
            "GET\r\n\r\n",
            "\u0000\u0001\u0002\u0003 / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nNo colon header\r\n\r\n")) {
      String answer = raw(junk);
      assertThat(answer).as(junk).startsWith("HTTP/1.1 400 Bad Request");
      assertThat(answer).as(junk).contains("malformed request").doesNotContain("Exception");
    }
    assertThat(raw("GET / HTTP/9.9\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 505");
    stillServes();
  }

  @Test
  void oversizedRequestsGetTheirOwn4xx() throws Exception {
    assertThat(raw("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"))
        .startsWith("HTTP/1.1 414");
    assertThat(raw("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n"))
        .startsWith("HTTP/1.1 431");
    assertThat(
            raw(
                "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"
                    + "c".repeat(100_000)))
        .startsWith("HTTP/1.1 413");
    // A body that lies about its length: the server waits for no more than it was told.
    assertThat(raw("GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\nxyz"))
        .startsWith("HTTP/1.1 413");
    stillServes();
  }

  @Test
  void otherMethodsUnknownPathsAndTraversalsGetPlainAnswers() throws Exception {
    String post =
        raw(
            "POST /api/v1/executors HTTP/1.1\r\n"
                + "Host: x\r\n"
                + "Content-Length: 0\r\n"
                + "Connection: close\r\n\r\n");
    assertThat(post).startsWith("HTTP/1.1 405").contains("allow: GET, HEAD");
    for (String path :
        List.of(
            "/nothing",
            "/api/v1/",
            "/api/v1/nope",
            "/../../../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/status.js/../../pom.xml",
            "//etc/passwd",
            "/io/rpcenv/runtime/status/index.html",
            "/META-INF/MANIFEST.MF")) {
      String answer = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assertThat(answer).as(path).startsWith("HTTP/1.1 404").doesNotContain("root:");
    }
    String head = raw("HEAD /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(head).startsWith("HTTP/1.1 200").doesNotContain("# TYPE");
    stillServes();
  }

  @Test
  void truncatedRequestsAndAbandonedConnectionsCostNothingLasting() throws Exception {
    for (int i = 0; i < 50; i++) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.getOutputStream().write("GET /metr".getBytes(StandardCharsets.US_ASCII));
      }
    }
    stillServes();
  }

  @Test
  void aFloodOfRequestsAndConnectionsIsServedOrRefusedWhileRpcGoesOn() throws Exception {
    // Thousands of keep-alive requests on a few connections, with RPC asks between them.
    ExecutorService pool = Executors.newFixedThreadPool(4);
    resources.add(pool::shutdownNow);
    List<Future<Integer>> done = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      done.add(pool.submit(() -> keepAliveRequests(500)));
    }
    for (int i = 0; i < 200; i++) {
      assertThat(RuntimeTestPlugin.driver.askExecutor("1", i)).isEqualTo("executor 1 answers " + i);
    }
    for (Future<Integer> f : done) {
      assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo(500);
    }
    // More connections than the server keeps: those beyond are closed, the rest served.
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < StatusServer.MAX_CONNECTIONS + 50; i++) {
        held.add(new Socket("127.0.0.1", port));
      }
      int closed = 0;
      for (Socket s : held.subList(StatusServer.MAX_CONNECTIONS, held.size())) {
        s.setSoTimeout(20_000);
        if (s.getInputStream().read() < 0) {
          closed++;
        }
      }
      assertThat(closed).isEqualTo(50);
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
    stillServes();
  }

  /** Sends {@code n} requests one after another on one connection; returns how many got 200. */
  private int keepAliveRequests(int n) throws Exception {
    int ok = 0;
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      for (int i = 0; i < n; i++) {
        out.write(
            "GET /api/v1/application HTTP/1.1\r\nHost: x\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = readHead(in);
        if (head.startsWith("HTTP/1.1 200")) {
          ok++;
        }
        int length = Integer.parseInt(head.replaceAll("(?s).*content-length: (\\d+).*", "$1"));
        in.readNBytes(length);
      }
    }
    return ok;
  }

  private static String readHead(InputStream in) throws Exception {
    StringBuilder b = new StringBuilder();
    while (!b.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IllegalStateException("closed after " + b);
      }
      b.append((char) c);
    }
    return b.toString();
  }
}
