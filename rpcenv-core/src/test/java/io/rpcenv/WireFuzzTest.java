package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rpcenv.internal.TestAccessBridge;
import io.rpcenv.testkit.Resources;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Random and mutated frames from a seed, against a live env, over real connections: before and
 * after the handshake, with lying lengths, cut short, bytes flipped, tags and types made up. The
 * env must close only the offending connection, for the protocol's own reasons (never an unexpected
 * error), hold no memory for frames afterwards, leak no buffer (the leak check runs after the
 * test), and still answer a fresh ask. Deterministic per seed; {@code -Dfuzz.seed} and {@code
 * -Dfuzz.cases} run others.
 */
class WireFuzzTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  static final long SEED = Long.getLong("fuzz.seed", 20261202L);
  static final int CASES = Integer.getInteger("fuzz.cases", 400);

  /** A record the fast path writes, so that mutated records reach the record codec. */
  record Sample(int id, String name, byte[] data, Long maybe) implements Serializable {}

  private static byte[] frame(byte type, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(4 + 1 + payload.length);
    b.putInt(1 + payload.length).put(type).put(payload);
    return b.array();
  }

  private static byte[] oneWay(String endpoint, byte[] body) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    d.writeShort(endpoint.length());
    d.write(endpoint.getBytes(StandardCharsets.UTF_8));
    d.write(body);
    return b.toByteArray();
  }

  /**
   * Well-formed frames of every kind, with bodies of every serializer tag: what mutations start
   * from.
   */
  private static List<byte[]> corpus() throws IOException {
    List<byte[]> c = new ArrayList<>();
    List<byte[]> bodies =
        List.of(
            new byte[] {0},
            new byte[] {2, 1, 2, 3},
            concat(new byte[] {3}, "text".getBytes(StandardCharsets.UTF_8)),
            new byte[] {4, 0, 0, 0, 7},
            new byte[] {5, 0, 0, 0, 0, 0, 0, 0, 9},
            new byte[] {6},
            new byte[] {7},
            recordBody(new Sample(1, "n", new byte[] {1, 2}, 3L)),
            RawConnection.javaBody(new ArrayList<>(List.of("a", 1, 2L))),
            RawConnection.javaBody(Map.of("k", new int[] {1, 2, 3})),
            RawConnection.javaBody(new long[] {1, 2}),
            RawConnection.javaBody(new IllegalStateException("boom")));
    for (byte[] body : bodies) {
      c.add(frame(RawConnection.REQUEST, RawConnection.requestPayload(7, "echo", body)));
      c.add(frame(RawConnection.ONE_WAY, oneWay("echo", body)));
      c.add(frame(RawConnection.RESPONSE, concat(new byte[] {0, 0, 0, 0, 0, 0, 0, 7}, body)));
    }
    c.add(
        frame(
            RawConnection.FAILURE,
            concat(
                new byte[] {0, 0, 0, 0, 0, 0, 0, 7, 2, 0, 0, 0, 1, 'x', 0, 0, 0, 0, 0, 0},
                RawConnection.javaBody(new RuntimeException("r")))));
    c.add(frame(RawConnection.CLOSE, new byte[] {0, 0, 3, 'b', 'y', 'e'}));
    c.add(frame((byte) 8, new byte[0]));
    c.add(frame((byte) 9, new byte[0]));
    return c;
  }

  /** How the env itself writes {@code value} as a body: the record fast path, for records. */
  private static byte[] recordBody(Object value) throws IOException {
    return io.rpcenv.internal.serialize.TestSerialization.body(value);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = new byte[a.length + b.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  /**
   * One mutation of a corpus frame; lengths lie by little, so that no case waits on bytes that
   * never come for long.
   */
  static byte[] mutate(byte[] f, Random r) {
    byte[] m = f.clone();
    switch (r.nextInt(7)) {
      case 0 -> { // flip bytes past the length field
        for (int i = 0, n = 1 + r.nextInt(3); i < n && m.length > 4; i++) {
          m[4 + r.nextInt(m.length - 4)] ^= (byte) (1 + r.nextInt(255));
        }
      }
      case 1 -> { // cut short, the length fixed to match
        int keep = 5 + r.nextInt(Math.max(1, m.length - 5));
        m = java.util.Arrays.copyOf(m, keep);
        ByteBuffer.wrap(m).putInt(0, keep - 4);
      }
      case 2 ->
          ByteBuffer.wrap(m)
              .putInt(0, Math.max(-3, m.length - 4 - r.nextInt(m.length))); // claims less
      case 3 -> ByteBuffer.wrap(m).putInt(0, m.length - 4 + r.nextInt(64)); // claims more
      case 4 -> m[4] = (byte) r.nextInt(256); // another type
      case 5 -> { // random bytes appended inside the frame
        byte[] extra = new byte[1 + r.nextInt(40)];
        r.nextBytes(extra);
        m = concat(m, extra);
        ByteBuffer.wrap(m).putInt(0, m.length - 4);
      }
      default -> { // a frame of random bytes
        byte[] junk = new byte[1 + r.nextInt(60)];
        r.nextBytes(junk);
        m = frame((byte) r.nextInt(12), junk);
      }
    }
    return m;
  }

  @Test
  void mutatedFramesCloseOnlyTheirOwnConnectionForTheProtocolsReasons() throws Exception {
    RpcEnv server =
        envs.server(
            "server",
            TestEnvs.conf()
                .set("spark.rpc.message.maxSize", "64k")
                .set("spark.network.auth.rpcTimeout", "2s")
                .set("spark.rpc.io.frameTimeout", "2s"));
    server.setupEndpoint("echo", Endpoints.echo());
    RpcEndpointRef bystander = envs.client("bystander").setupEndpointRef(server.address(), "echo");
    List<byte[]> corpus = corpus();
    Random r = new Random(SEED);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    int run = 0;
    for (; run < CASES && System.nanoTime() < deadline; run++) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      boolean handshake = r.nextInt(10) != 0;
      for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
        bytes.write(mutate(corpus.get(r.nextInt(corpus.size())), r));
      }
      try (RawConnection raw = new RawConnection(server.address().port())) {
        if (handshake) {
          raw.plainHandshake();
        } else { // the handshake itself mutated
          raw.out.writeInt(RawConnection.MAGIC);
          raw.out.writeByte(RawConnection.VERSION);
          raw.out.write(
              mutate(frame(RawConnection.HELLO, new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 5}), r));
        }
        raw.out.write(bytes.toByteArray());
        raw.out.flush();
        raw.socket.shutdownOutput();
        RawConnection.readsEof(raw.socket, Duration.ofSeconds(20));
      } catch (java.net.SocketException closedFirst) {
        // the env closed the connection before all was written: that is one of the answers
      }
    }
    assertThat(run).as("cases run from seed %s", SEED).isGreaterThanOrEqualTo(Math.min(CASES, 100));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(TestAccess.connectionCount(server)).as("connections left").isEqualTo(1);
              assertThat(TestAccessBridge.frameBytesHeld(server))
                  .as("bytes held of frames still arriving")
                  .isZero();
            });
    assertThat(TestAccessBridge.unexpectedErrors(server))
        .as("connections closed for an unexpected error, seed %s", SEED)
        .isZero();
    assertThat(bystander.<String>askSync("after " + run + " cases"))
        .isEqualTo("after " + run + " cases");
    assertThat(
            envs.client("fresh")
                .setupEndpointRef(server.address(), "echo")
                .<String>askSync("fresh"))
        .isEqualTo("fresh");
  }

  @Test
  void aRawSocketThatWritesNothingButGarbageNeverReachesAnEndpoint() throws Exception {
    RpcEnv server =
        envs.server("server", TestEnvs.conf().set("spark.network.auth.rpcTimeout", "1s"));
    server.setupEndpoint("echo", Endpoints.echo());
    Random r = new Random(SEED);
    for (int i = 0; i < 30; i++) {
      byte[] junk = new byte[1 + r.nextInt(200)];
      r.nextBytes(junk);
      try (Socket s = new Socket("127.0.0.1", server.address().port())) {
        s.getOutputStream().write(junk);
        s.shutdownOutput();
        assertThat(RawConnection.readsEof(s, Duration.ofSeconds(20))).isTrue();
      } catch (java.net.SocketException closedFirst) {
        // refused while writing
      }
    }
    assertThat(TestAccessBridge.unexpectedErrors(server)).isZero();
    assertThat(
            envs.client("fresh").setupEndpointRef(server.address(), "echo").<String>askSync("ok"))
        .isEqualTo("ok");
  }
}
