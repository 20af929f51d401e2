package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rpcenv.testkit.ChildJvm;
import io.rpcenv.testkit.Resources;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An endpoint that blocks is reported in the env's log with what it handles and where its thread
 * waits, and again when it finishes ({@code spark.rpc.dispatcher.stallWarning}). The env runs in a
 * child process so the test reads its real log output.
 */
class StallWarningTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  /**
   * A {@link StallingEndpointMain} process, and refs to its two endpoints from an env of this test.
   */
  private record Stalling(ChildJvm child, RpcEndpointRef blocker, RpcEndpointRef release) {}

  private Stalling startStalling(String stallWarning, String endpointStopTimeout) throws Exception {
    ChildJvm child =
        resources.add(
            ChildJvm.start(
                "stalling",
                StallingEndpointMain.class,
                Map.of(),
                stallWarning,
                endpointStopTimeout));
    String hostPort =
        child
            .awaitLine(l -> l.startsWith("LISTENING "), Duration.ofSeconds(60))
            .substring("LISTENING ".length());
    RpcAddress server = RpcAddress.fromSparkURL("spark://" + hostPort);
    RpcEnv client = envs.client("parent", TestEnvs.conf().set("spark.rpc.askTimeout", "120s"));
    return new Stalling(
        child,
        client.setupEndpointRef(server, "blocker"),
        client.setupEndpointRef(server, "release"));
  }

  @Test
  void aBlockedEndpointIsReportedWithItsStackAndAgainWhenItFinishes() throws Exception {
    Stalling stalling = startStalling("300ms", "30s");
    ChildJvm child = stalling.child();
    long start = System.nanoTime();
    CompletableFuture<String> blocked = stalling.blocker().ask("block");
    String report =
        child.awaitLine(l -> l.contains("has been running for more than"), Duration.ofSeconds(60));
    long reportedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(report)
        .contains("WARN")
        .contains("Endpoint 'blocker' of RpcEnv 'stalling'")
        .contains("handling a message")
        .contains("more than 300 ms")
        .contains("spark.rpc.dispatcher.stallWarning");
    assertThat(reportedAfterMs).as("not before the threshold").isGreaterThanOrEqualTo(300);
    // the report goes on with the blocked thread's frames, one per line
    child.awaitLine(
        l -> l.startsWith("\tat " + StallingEndpointMain.class.getName() + "$1.receiveAndReply("),
        Duration.ofSeconds(60));
    assertThat(blocked).isNotDone();

    // the other dispatcher thread still serves: the release endpoint answers, and unblocks the
    // first
    assertThat(stalling.release().<String>askSync("go")).isEqualTo("ok");
    assertThat(blocked.get(60, TimeUnit.SECONDS)).isEqualTo("released");
    String finished =
        child.awaitLine(l -> l.contains("finished after about"), Duration.ofSeconds(60));
    assertThat(finished).contains("INFO").contains("Endpoint 'blocker' of RpcEnv 'stalling'");
    assertThat(child.lines())
        .filteredOn(l -> l.contains("has been running for more than"))
        .hasSize(1);
  }

  @Test
  void shutdownGivesUpOnABlockedEndpointAfterTheStopTimeoutAndSaysWhatItWasDoing()
      throws Exception {
    Stalling stalling = startStalling("0", "500ms");
    ChildJvm child = stalling.child();
    CompletableFuture<String> blocked = stalling.blocker().ask("block");
    assertThat(stalling.release().<String>askSync("shutdown")).isEqualTo("ok");
    String warning =
        child.awaitLine(l -> l.contains("endpoints still busy"), Duration.ofSeconds(60));
    assertThat(warning)
        .contains("WARN")
        .contains("RpcEnv 'stalling'")
        .contains("500 ms")
        .contains("spark.rpc.endpointStopTimeout")
        .contains("'blocker' (handling a message on thread rpcenv-stalling-dispatcher-");
    child.awaitLine("TERMINATED"::equals, Duration.ofSeconds(60));
    assertThat(child.waitFor(Duration.ofSeconds(60))).isZero();
    assertThat(catchThrowable(() -> blocked.get(60, TimeUnit.SECONDS)))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(RpcException.class);
    assertThat(child.lines())
        .noneMatch(l -> l.contains("has been running for more than")); // 0 turned it off
  }
}
