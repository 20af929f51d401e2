package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.internal.PlatformDependent;
import io.rpcenv.testkit.Resources;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Peers that complete the handshake and then misbehave: malformed frames, overlong names, false
 * claims about where they listen. Each loses its own connection at most; nothing it sent outlives
 * it (the leak check runs after each test); everyone else is served.
 */
class HostilePeerTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  RpcEnv server;
  Bystander bystander;

  @BeforeEach
  void start() {
    server = envs.server("server", TestEnvs.conf().set("spark.rpc.message.maxSize", "64m"));
    bystander = new Bystander(envs, server);
  }

  private void assertStillServing() {
    bystander.assertStillServing();
  }

  private static byte[] bytes(IoWriter w) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    w.write(new DataOutputStream(b));
    return b.toByteArray();
  }

  private interface IoWriter {
    void write(DataOutputStream d) throws IOException;
  }

  private static void utf8Short(DataOutputStream d, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    d.writeShort(b.length);
    d.write(b);
  }

  private static void utf8Int(DataOutputStream d, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    d.writeInt(b.length);
    d.write(b);
  }

  /**
   * One well-formed frame payload (after the type byte) of every type, and of two unknown types.
   */
  private static Map<Byte, byte[]> wholeFrames() throws IOException {
    Map<Byte, byte[]> m = new LinkedHashMap<>();
    byte[] body = RawConnection.javaBody("x");
    m.put(RawConnection.REQUEST, RawConnection.requestPayload(1, "echo", body));
    m.put(
        RawConnection.ONE_WAY,
        bytes(
            d -> {
              utf8Short(d, "echo");
              d.write(body);
            }));
    m.put(
        RawConnection.RESPONSE,
        bytes(
            d -> {
              d.writeLong(99);
              d.write(body);
            }));
    m.put(
        RawConnection.FAILURE,
        bytes(
            d -> {
              d.writeLong(99);
              d.writeByte(1);
              utf8Int(d, "it failed");
              utf8Short(d, "java.lang.IllegalStateException");
              utf8Int(d, "java.lang.IllegalStateException: it failed\n\tat x.y(Z.java:1)");
            }));
    m.put(
        RawConnection.CLOSE,
        bytes(
            d -> {
              d.writeByte(0);
              utf8Short(d, "bye");
            }));
    m.put((byte) 8, new byte[0]); // PING
    m.put((byte) 9, new byte[0]); // PONG
    m.put(RawConnection.AUTH, new byte[32]);
    m.put(RawConnection.HELLO, new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 5});
    m.put((byte) 0, new byte[] {1, 2, 3});
    m.put((byte) 42, new byte[] {1, 2, 3});
    return m;
  }

  /**
   * Sends a PING after whatever was sent, and reads until the PONG (the connection is still up:
   * true) or the end of the stream (it was closed: false).
   */
  private static boolean stillUp(RawConnection raw) throws IOException {
    try {
      raw.frame((byte) 8, new byte[0]);
      for (; ; ) {
        if (raw.readFrame().type() == 9) {
          return true;
        }
      }
    } catch (EOFException | SocketException closed) {
      return false;
    }
  }

  @Test
  void everyFrameTypeCutShortAtEveryByteReleasesWhatItHeld() throws Exception {
    long directBefore = PlatformDependent.usedDirectMemory();
    List<String> closedOn = new ArrayList<>();
    for (Map.Entry<Byte, byte[]> e : wholeFrames().entrySet()) {
      byte[] whole = e.getValue();
      for (int cut = 0; cut <= whole.length; cut++) {
        try (RawConnection raw = new RawConnection(server.address().port())) {
          raw.plainHandshake();
          raw.frame(e.getKey(), Arrays.copyOf(whole, cut));
          if (!stillUp(raw)) {
            closedOn.add(e.getKey() + "/" + cut);
          }
        }
      }
    }
    // Headers cut short close the connection; the well-formed control frames do not.
    assertThat(closedOn)
        .contains("2/0", "2/9", "2/10", "3/1", "4/7", "5/7", "6/0", "0/3", "42/0", "1/9", "7/32")
        .doesNotContain("8/0", "9/0");
    assertStillServing();
    long grown = PlatformDependent.usedDirectMemory() - directBefore;
    assertThat(grown)
        .as("direct memory still held after %s malformed frames", closedOn.size())
        .isLessThan(8L << 20);
  }

  @Test
  void aMalformedFrameAfterALargeOneInTheSameWritePinsNothing() throws Exception {
    long directBefore = PlatformDependent.usedDirectMemory();
    byte[] bulk = new byte[32 << 20];
    for (int i = 0; i < 3; i++) {
      try (RawConnection raw = new RawConnection(server.address().port())) {
        raw.plainHandshake();
        // A failure report for an ask that was never made, 32 MiB long, then a REQUEST of one byte.
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(1 + 8 + 1 + 4 + bulk.length + 2 + 4);
        d.writeByte(RawConnection.FAILURE);
        d.writeLong(12345);
        d.writeByte(1);
        d.writeInt(bulk.length);
        d.write(bulk);
        d.writeShort(0);
        d.writeInt(0);
        d.writeInt(1);
        d.writeByte(RawConnection.REQUEST);
        raw.out.write(b.toByteArray());
        raw.out.flush();
        assertThat(raw.closeReason())
            .contains("Malformed REQUEST frame")
            .contains("ends inside its header");
      }
    }
    assertStillServing();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(PlatformDependent.usedDirectMemory() - directBefore)
                    .as("direct memory still held")
                    .isLessThan(16L << 20));
  }

  @Test
  void anEndpointNameLongerThanTheProtocolAllowsClosesTheConnection() throws Exception {
    try (RawConnection raw = new RawConnection(server.address().port())) {
      raw.plainHandshake();
      String name = "n".repeat(60_000);
      raw.frame(
          RawConnection.REQUEST,
          RawConnection.requestPayload(1, name, RawConnection.javaBody("x")));
      assertThat(raw.closeReason())
          .contains("endpoint name of 60000 bytes")
          .contains("limit of 1024 bytes");
    }
    assertStillServing();
  }

  /** Records what endpoints hear, and answers an ask with the sender address it sees. */
  private static final class Watcher extends Endpoints.Recording {
    @Override
    public void receiveAndReply(Object message, RpcCallContext context) {
      context.reply(String.valueOf(context.senderAddress()));
    }
  }

  private static String socketAddress(RawConnection raw) {
    return "127.0.0.1:" + raw.socket.getLocalPort();
  }

  @Test
  void aListenAddressClaimedOnAnotherHostIsNeverReported() throws Exception {
    Watcher w = new Watcher();
    server.setupEndpoint("watcher", w);
    String socket;
    try (RawConnection raw = new RawConnection(server.address().port())) {
      raw.helloClaiming("10.1.2.3", 7077);
      raw.readPreface();
      assertThat(raw.readFrame().type()).isEqualTo(RawConnection.HELLO);
      socket = socketAddress(raw);
      raw.request(1, "watcher", "who am I");
      RawConnection.Frame reply = raw.readFrame();
      assertThat(reply.type()).isEqualTo(RawConnection.RESPONSE);
      assertThat(reply.text()).endsWith(socket); // the sender is its socket address, not the claim
    }
    assertThat(w.next("connected:")).isEqualTo("connected:" + socket);
    assertThat(w.next("disconnected:")).isEqualTo("disconnected:" + socket);
    assertThat(w.anyWithin("disconnected:", 300)).isFalse();
    assertThat(w.seen).noneMatch(e -> e.contains("10.1.2.3"));
  }

  @Test
  void aClaimToListenWhereAnotherConnectionComesFromIsNotBelieved() throws Exception {
    Watcher w = new Watcher();
    server.setupEndpoint("watcher", w);
    try (RawConnection victim = new RawConnection(server.address().port())) {
      victim.plainHandshake();
      String victimAddress = socketAddress(victim);
      assertThat(w.next("connected:")).isEqualTo("connected:" + victimAddress);
      try (RawConnection liar = new RawConnection(server.address().port())) {
        liar.helloClaiming("127.0.0.1", victim.socket.getLocalPort());
        liar.readPreface();
        liar.readFrame();
        liar.request(1, "watcher", "who am I");
        assertThat(liar.readFrame().text()).endsWith(socketAddress(liar));
        assertThat(w.next("connected:")).isEqualTo("connected:" + socketAddress(liar));
      }
      assertThat(w.next("disconnected:"))
          .startsWith("disconnected:127.0.0.1:")
          .isNotEqualTo("disconnected:" + victimAddress);
      assertThat(w.anyWithin("disconnected:", 300)).isFalse();
      assertThat(w.seen)
          .noneMatch(
              e ->
                  e.endsWith(":" + victim.socket.getLocalPort())
                      && !e.equals("connected:" + victimAddress));
    }
  }

  @Test
  void aSameHostListenAddressThatHoldsIsStillReported() throws Exception {
    Watcher w = new Watcher();
    server.setupEndpoint("watcher", w);
    RpcEnv peer = envs.server("peer");
    assertThat(peer.setupEndpointRef(server.address(), "watcher").<String>askSync("who am I"))
        .isEqualTo(peer.address().toString());
    List<String> connected = List.of(w.next("connected:"), w.next("connected:"));
    assertThat(connected).contains("connected:" + peer.address());
  }
}
