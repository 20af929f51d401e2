package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rpcenv.testkit.ChildJvm;
import io.rpcenv.testkit.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An ask crosses two operating-system processes. */
class TwoProcessTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  private String startChild() throws Exception {
    ChildJvm child = resources.add(ChildJvm.start("echo-server", EchoServerMain.class, Map.of()));
    return child
        .awaitLine(l -> l.startsWith("LISTENING "), Duration.ofSeconds(60))
        .substring("LISTENING ".length());
  }

  @Test
  void anAskCrossesToAnotherProcessAndBack() throws Exception {
    String url = startChild();
    RpcEndpointRef ref = envs.client("parent").setupEndpointRefByURI(url);
    assertThat(ref.<String>askSync("hello")).isEqualTo("child echoes hello");
  }

  @Test
  void asksOutstandingWhenThePeerProcessIsKilledFailPromptly() throws Exception {
    ChildJvm child = resources.add(ChildJvm.start("doomed", EchoServerMain.class, Map.of()));
    String url =
        child
            .awaitLine(l -> l.startsWith("LISTENING "), Duration.ofSeconds(60))
            .substring("LISTENING ".length());
    RpcEndpointRef ref =
        envs.client("parent", TestEnvs.conf().set("spark.rpc.askTimeout", "120s"))
            .setupEndpointRefByURI(url);
    assertThat(ref.<String>askSync("warm-up")).isEqualTo("child echoes warm-up");
    List<CompletableFuture<Object>> held = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      held.add(ref.ask("hold"));
    }
    long start = System.nanoTime();
    child.kill(); // SIGKILL
    for (CompletableFuture<Object> ask : held) {
      assertThatThrownBy(() -> ask.get(30, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(RpcConnectionException.class)
          .hasMessageContaining(url.substring(url.indexOf('@') + 1));
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    System.out.println("100 asks failed " + ms + " ms after the SIGKILL");
    assertThat(ms).as("about a second, far below the 120 s ask timeout").isLessThan(5_000);
  }

  @Test
  void aPeerRestartedOnTheSamePortServesNewLookupsAndAsks() throws Exception {
    ChildJvm first =
        resources.add(ChildJvm.start("first", EchoServerMain.class, Map.of(), "0", "first"));
    String url =
        first
            .awaitLine(l -> l.startsWith("LISTENING "), Duration.ofSeconds(60))
            .substring("LISTENING ".length());
    String port = url.substring(url.lastIndexOf(':') + 1);
    RpcEnv client = envs.client("parent", TestEnvs.conf().set("spark.rpc.askTimeout", "120s"));
    RpcEndpointRef ref = client.setupEndpointRef(RpcEndpointAddress.parse(url).address(), "echo");
    assertThat(ref.<String>askSync("one")).isEqualTo("first echoes one");
    List<CompletableFuture<Object>> held = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      held.add(ref.ask("hold"));
    }
    first.kill();
    for (CompletableFuture<Object> ask : held) {
      assertThatThrownBy(() -> ask.get(30, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(RpcConnectionException.class);
    }
    ChildJvm second =
        resources.add(ChildJvm.start("second", EchoServerMain.class, Map.of(), port, "second"));
    assertThat(second.awaitLine(l -> l.startsWith("LISTENING "), Duration.ofSeconds(60)))
        .endsWith(":" + port);
    // the old ref reconnects, and a fresh lookup by the same URL finds the new process
    assertThat(ref.<String>askSync("two")).isEqualTo("second echoes two");
    assertThat(client.setupEndpointRefByURI(url).<String>askSync("three"))
        .isEqualTo("second echoes three");
    for (CompletableFuture<Object> ask : held) {
      assertThat(ask)
          .isCompletedExceptionally(); // nothing from the old process ever completes them
    }
  }
}
