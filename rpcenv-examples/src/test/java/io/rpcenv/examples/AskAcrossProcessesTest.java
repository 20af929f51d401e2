package io.rpcenv.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.rpcenv.testkit.ChildJvm;
import io.rpcenv.testkit.Resources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's demo: an ask crosses from one process to another and back; both exit cleanly. */
class AskAcrossProcessesTest {
  @RegisterExtension final Resources resources = new Resources();

  @Test
  void theDemoAsksAcrossTwoProcessesAndExitsZero() throws Exception {
    ChildJvm demo = resources.add(ChildJvm.start("demo", AskAcrossProcesses.class, Map.of()));
    assertThat(demo.waitFor(Duration.ofSeconds(90))).isZero();
    List<String> lines = demo.lines();
    String serverPid = pid(lines, "[server pid ");
    String clientPid = pid(lines, "[client pid ");
    assertThat(serverPid).isNotEqualTo(clientPid);
    assertThat(lines)
        .anyMatch(l -> l.startsWith("[server pid " + serverPid + "] listening at spark://greeter@"))
        .anyMatch(
            l ->
                l.equals(
                    "[client pid "
                        + clientPid
                        + "] got reply: hello, client! (from pid "
                        + serverPid
                        + ")"))
        .anyMatch(
            l -> l.equals("[server pid " + serverPid + "] client exited with 0; shutting down"))
        .noneMatch(l -> l.contains("ERROR") || l.contains("Exception"));
  }

  private static String pid(List<String> lines, String prefix) {
    String line =
        lines.stream()
            .filter(l -> l.startsWith(prefix))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("no line starting with " + prefix + " in " + lines));
    return line.substring(prefix.length(), line.indexOf(']'));
  }
}
