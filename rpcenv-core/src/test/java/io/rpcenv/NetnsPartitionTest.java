package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.rpcenv.testkit.ChildJvm;
import io.rpcenv.testkit.NetNamespace;
import io.rpcenv.testkit.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A silent partition between two hosts: a peer in its own network namespace, the link to it cut by
 * blackhole routes on both sides (packets vanish; nothing is reset or refused). Skipped, with the
 * reason, where namespaces cannot be made (not root, no {@code ip}).
 */
class NetnsPartitionTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  @Test
  void asksAcrossASilentlyPartitionedLinkFailByTheirDeadlineAndResumeAfterIt() throws Exception {
    String unavailable = NetNamespace.unavailableBecause();
    Assumptions.assumeTrue(unavailable == null, () -> "skipped: " + unavailable);
    NetNamespace ns = resources.add(NetNamespace.create());
    ChildJvm peer =
        resources.add(
            ChildJvm.startWithPrefix(
                "peer-in-" + ns.insideAddress(),
                ns.execPrefix(),
                EchoServerMain.class,
                List.of(),
                Map.of(),
                "0",
                "remote",
                ns.insideAddress()));
    String url =
        peer.awaitLine(l -> l.startsWith("LISTENING "), Duration.ofSeconds(60))
            .substring("LISTENING ".length());
    assertThat(url).contains("@" + ns.insideAddress() + ":");
    RpcEnv client =
        envs.client(
            "client",
            TestEnvs.conf()
                .set("spark.rpc.askTimeout", "1s")
                .set("spark.rpc.io.connectionTimeout", "2s"));
    RpcEndpointRef ref = client.setupEndpointRefByURI(url);
    assertThat(ref.<String>askSync("before")).isEqualTo("remote echoes before");

    ns.partition();
    long start = System.nanoTime();
    List<CompletableFuture<String>> asks = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      asks.add(ref.ask("during " + i));
    }
    for (CompletableFuture<String> ask : asks) {
      Throwable t = catchThrowable(() -> ask.get(60, TimeUnit.SECONDS));
      assertThat(t)
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(RpcTimeoutException.class)
          .hasMessageContaining("spark.rpc.askTimeout")
          .hasMessageContaining(ns.insideAddress());
    }
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(900L, 15_000L);
    // the keepalive gives the dead connection up, so that a fresh one is made after the heal
    await().atMost(Duration.ofSeconds(30)).until(() -> TestAccess.connectionCount(client) == 0);

    ns.heal();
    assertThat(ref.<String>askSync("after")).isEqualTo("remote echoes after");
  }
}
