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
    return child.awaitLine(l -> l.startsWith("LISTENING "), Duration.ofSeconds(60)).substring("LISTENING ".length());
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
    String url = child.awaitLine(l -> l.startsWith("LISTENING "), Duration.ofSeconds(60))
        .substring("LISTENING ".length());
    RpcEndpointRef ref = envs.client("parent", TestEnvs.conf().set("spark.rpc.askTimeout", "120s"))
        .setupEndpointRefByURI(url);
    assertThat(ref.<String>askSync("warm-up")).isEqualTo("child echoes warm-up");
    List<CompletableFuture<Object>> held = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      held.add(ref.ask("hold"));
    }
    child.kill(); // SIGKILL
    long start = System.nanoTime();
    for (CompletableFuture<Object> ask : held) {
      assertThatThrownBy(() -> ask.get(30, TimeUnit.SECONDS))
          .cause().isInstanceOf(RpcConnectionException.class).hasMessageContaining(url.substring(url.indexOf('@') + 1));
    }
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
  }
}
