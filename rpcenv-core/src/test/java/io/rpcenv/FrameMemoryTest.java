package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;

import io.rpcenv.testkit.ChildJvm;
import io.rpcenv.testkit.Resources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Peers that declare large frames and send little or nothing of them cannot take the env's memory:
 * memory follows the bytes that arrive, is bounded over all connections by
 * spark.rpc.io.frameBudget, and a frame that stops arriving is given up at
 * spark.rpc.io.frameTimeout. The victim is a {@link VictimMain} in a child JVM with 512 MiB of
 * heap.
 */
class FrameMemoryTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  private record Victim(ChildJvm child, RpcAddress address) {}

  private Victim victim(String... settings) throws Exception {
    ChildJvm child =
        resources.add(
            ChildJvm.start("victim", VictimMain.class, List.of("-Xmx512m"), Map.of(), settings));
    String url = child.awaitLine(l -> l.startsWith("LISTENING "), Duration.ofSeconds(60));
    return new Victim(
        child, RpcEndpointAddress.parse(url.substring("LISTENING ".length())).address());
  }

  /** The victim's heap in use after a collection, in bytes. */
  private long heapOf(Victim v) {
    String m =
        envs.client("probe-" + System.nanoTime())
            .setupEndpointRef(v.address(), "memory")
            .askSync("now");
    return Long.parseLong(m.substring("heap=".length(), m.indexOf(' ')));
  }

  /**
   * Writes the header of a one-way frame to "echo" declaring a {@code byte[]} body of {@code
   * bodyBytes}.
   */
  private static void header(RawConnection raw, int bodyBytes) throws IOException {
    byte[] name = "echo".getBytes(StandardCharsets.UTF_8);
    raw.out.writeInt(1 + 2 + name.length + 1 + bodyBytes);
    raw.out.writeByte(RawConnection.ONE_WAY);
    raw.out.writeShort(name.length);
    raw.out.write(name);
    raw.out.writeByte(2); // byte[] body
    raw.out.flush();
  }

  @Test
  void headersDeclaringTheLargestFramesTakeNoMemoryAndALargeAskStillGetsThrough() throws Exception {
    Victim v = victim();
    long before = heapOf(v);
    List<RawConnection> attackers = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        RawConnection raw = resources.add(new RawConnection(v.address().port()));
        raw.plainHandshake();
        header(raw, (128 << 20) - 100); // 8 x 128 MiB declared, with 512 MiB of heap
        attackers.add(raw);
      }
      long held = heapOf(v) - before;
      System.out.printf("heap held for 8 declared 128 MiB frames: %,d bytes%n", held);
      assertThat(held).as("heap held for 8 declared 128 MiB frames").isLessThan(16L << 20);
      RpcEndpointRef echo = envs.client("legit").setupEndpointRef(v.address(), "echo");
      assertThat(echo.<String>askSync(new byte[100_000_000])).isEqualTo("got 100000000 bytes");
    } finally {
      for (RawConnection raw : attackers) {
        raw.close();
      }
    }
    assertThat(v.child().lines()).noneMatch(l -> l.contains("OutOfMemoryError"));
  }

  @Test
  void framesThatStallAreGivenUpAndUntilThenMemoryStaysWithinTheBudget() throws Exception {
    Victim v = victim("spark.rpc.io.frameBudget=32m", "spark.rpc.io.frameTimeout=2s");
    long before = heapOf(v);
    int attackers = 5;
    CountDownLatch wrote = new CountDownLatch(attackers);
    List<CompletableFuture<String>> reasons = new ArrayList<>();
    for (int i = 0; i < attackers; i++) {
      RawConnection raw = resources.add(new RawConnection(v.address().port()));
      raw.plainHandshake();
      CompletableFuture<String> reason = new CompletableFuture<>();
      reasons.add(reason);
      Thread t =
          new Thread(
              () -> {
                try {
                  header(raw, 100 << 20);
                  raw.out.write(new byte[10 << 20]); // a tenth of the frame, then nothing more
                  raw.out.flush();
                  wrote.countDown();
                  reason.complete(raw.closeReason());
                } catch (IOException e) {
                  reason.completeExceptionally(e);
                }
              },
              "attacker-" + i);
      t.setDaemon(true);
      t.start();
    }
    // Three attackers got their bytes in (the third beyond the budget); the others wait, unread.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (wrote.getCount() > 2 && System.nanoTime() < deadline) {
      wrote.await(100, TimeUnit.MILLISECONDS);
    }
    long held = heapOf(v) - before;
    System.out.printf(
        "heap held while 5 attackers stall with 10 MiB of 100 MiB frames each: %,d bytes%n", held);
    assertThat(held)
        .as("heap held while the attackers stall: the budget and one frame beyond it")
        .isLessThan(80L << 20);
    // A legitimate ask waits for memory, rather than failing, and gets through once the stalled
    // frames are given up.
    RpcEndpointRef echo =
        envs.client("legit", TestEnvs.conf().set("spark.rpc.askTimeout", "60s"))
            .setupEndpointRef(v.address(), "echo");
    assertThat(echo.<String>askSync(new byte[10_000_000])).isEqualTo("got 10000000 bytes");
    for (CompletableFuture<String> r : reasons) {
      assertThat(r.get(60, TimeUnit.SECONDS))
          .contains("of its 104857608 bytes")
          .contains("did not arrive within 2 seconds (spark.rpc.io.frameTimeout)");
    }
    assertThat(v.child().lines()).noneMatch(l -> l.contains("OutOfMemoryError"));
  }

  @Test
  void aFrameWhoseBytesStopArrivingIsGivenUpWithNoAskOutstanding() throws Exception {
    RpcEnv server = envs.server("server", TestEnvs.conf().set("spark.rpc.io.frameTimeout", "1s"));
    server.setupEndpoint("echo", Endpoints.echo());
    try (RawConnection raw = new RawConnection(server.address().port())) {
      raw.plainHandshake();
      long start = System.nanoTime();
      header(raw, 1 << 20);
      raw.out.write(new byte[1000]);
      raw.out.flush();
      assertThat(raw.closeReason())
          .contains("sent 1008 of its 1048584 bytes of a frame")
          .contains("did not arrive within 1 second (spark.rpc.io.frameTimeout)");
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(900L, 15_000L);
    }
    RpcEndpointRef ref = envs.client("client").setupEndpointRef(server.address(), "echo");
    assertThat(ref.<String>askSync("still serving")).isEqualTo("still serving");
  }
}
