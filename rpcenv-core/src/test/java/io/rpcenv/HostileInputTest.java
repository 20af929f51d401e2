package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;

import io.rpcenv.testkit.Resources;
import java.io.DataOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile bytes close only their own connection, leak no buffer (the leak check runs after each
 * test) and leave the env serving everyone else.
 */
class HostileInputTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  RpcEnv server;
  Bystander bystander;

  @BeforeEach
  void start() {
    server =
        envs.server(
            "server",
            TestEnvs.conf()
                .set("spark.network.auth.rpcTimeout", "500ms")
                .set("spark.rpc.message.maxSize", "64k"));
    bystander = new Bystander(envs, server);
  }

  private void assertStillServing() {
    bystander.assertStillServing();
  }

  private boolean sendAndExpectClose(byte[] bytes) throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.address().port())) {
      s.getOutputStream().write(bytes);
      s.getOutputStream().flush();
      return RawConnection.readsEof(s, Duration.ofSeconds(20));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"garbage", "http", "tls"})
  void aPeerSpeakingAnotherProtocolIsDisconnected(String kind) throws Exception {
    byte[] bytes =
        switch (kind) {
          case "garbage" ->
              new byte[] {
                (byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0, 1, 2, 3, 4, 5, 6, 7
              };
          case "http" -> "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
          default ->
              new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03};
        };
    assertThat(sendAndExpectClose(bytes)).isTrue();
    assertStillServing();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 2 << 20})
  void aBadLengthPrefixIsRejectedFromTheHeader(int length) throws Exception {
    try (RawConnection raw = new RawConnection(server.address().port())) {
      raw.plainHandshake();
      raw.out.writeInt(length);
      raw.out.writeByte(RawConnection.REQUEST);
      raw.out.flush();
      assertThat(raw.readsEof(Duration.ofSeconds(20))).isTrue();
    }
    assertStillServing();
  }

  @Test
  void aBadLengthBeforeTheHandshakeIsRejectedToo() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.address().port())) {
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeInt(RawConnection.MAGIC);
      out.writeByte(RawConnection.VERSION);
      out.writeInt(100_000); // more than any handshake needs
      out.flush();
      assertThat(RawConnection.readsEof(s, Duration.ofSeconds(20))).isTrue();
    }
    assertStillServing();
  }

  @Test
  void aTruncatedFrameFromAPeerThatLeavesReleasesWhatItBuffered() throws Exception {
    try (RawConnection raw = new RawConnection(server.address().port())) {
      raw.plainHandshake();
      raw.out.writeInt(10_000);
      raw.out.writeByte(RawConnection.REQUEST);
      raw.out.write(new byte[5_000]); // half a frame, then gone
      raw.out.flush();
    }
    assertStillServing();
  }

  @Test
  void aConnectionThatSaysNothingIsClosedAtTheHandshakeDeadline() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.address().port())) {
      long start = System.nanoTime();
      assertThat(RawConnection.readsEof(s, Duration.ofSeconds(20))).isTrue();
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertThat(ms).isBetween(400L, 15_000L); // spark.network.auth.rpcTimeout = 500ms
    }
    assertStillServing();
  }

  @Test
  void connectionsBeyondTheHandshakeCapAreClosedAtOnce() throws Exception {
    RpcEnv capped =
        envs.server(
            "capped",
            TestEnvs.conf()
                .set("spark.rpc.io.maxHandshakingConnections", "3")
                .set("spark.network.auth.rpcTimeout", "30s"));
    List<Socket> silent = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        Socket s = new Socket("127.0.0.1", capped.address().port());
        s.setSoTimeout(100);
        silent.add(s);
      }
      // Three hold every slot until their 30 s deadline; one of the four (whichever the env counted
      // last: accepted channels register on different event loops) is closed at once.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      List<Socket> closed = new ArrayList<>();
      while (closed.isEmpty() && System.nanoTime() < deadline) {
        for (Socket s : silent) {
          try {
            if (s.getInputStream().read() < 0) {
              closed.add(s);
            }
          } catch (java.net.SocketTimeoutException stillOpen) {
            // nothing yet
          } catch (java.io.IOException reset) {
            closed.add(s);
          }
        }
      }
      assertThat(closed).hasSize(1);
      silent.removeAll(closed);
      for (Socket s : silent) {
        assertThat(RawConnection.readsEof(s, Duration.ofMillis(300)))
            .as("a connection within the cap")
            .isFalse();
      }
    } finally {
      for (Socket s : silent) {
        s.close();
      }
    }
    capped.setupEndpoint("echo", Endpoints.echo());
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(
            () ->
                envs.client("after-cap-" + System.nanoTime())
                    .setupEndpointRef(capped.address(), "echo")
                    .<String>askSync("slots free again")
                    .equals("slots free again"));
  }
}
