package io.rpcenv.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.rpcenv.runtime.cli.RpcenvCli;
import io.rpcenv.testkit.ChildJvm;
import io.rpcenv.testkit.Resources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code rpcenv demo}: the README's first command, end to end, as a newcomer would run it. */
class DemoTest {
  @RegisterExtension final Resources resources = new Resources();

  private static final Pattern LABEL =
      Pattern.compile("^\\[(driver|executor (\\d+)) pid (\\d+)] (.*)$");

  @Test
  void theDemoRunsADriverAndTwoExecutorProcessesAndExitsZero() throws Exception {
    ChildJvm demo = resources.add(ChildJvm.start("demo", RpcenvCli.class, Map.of(), "demo"));
    assertThat(demo.waitFor(Duration.ofSeconds(120))).isZero();
    List<String> lines = demo.lines();

    String driverPid = null;
    java.util.Set<String> executorPids = new java.util.HashSet<>();
    int initial = 0;
    int finals = 0;
    for (String line : lines) {
      Matcher m = LABEL.matcher(line);
      if (!m.matches()) {
        continue;
      }
      if (m.group(1).equals("driver")) {
        driverPid = m.group(3);
        if (m.group(4).equals("the final value is 100")) {
          finals++;
        }
      } else {
        executorPids.add(m.group(3));
        if (m.group(4).equals("the initial configuration is 10")) {
          initial++;
        }
      }
    }
    assertThat(initial).as("lines %s", lines).isEqualTo(2);
    assertThat(finals).as("lines %s", lines).isEqualTo(2);
    assertThat(executorPids).hasSize(2).doesNotContain(driverPid, String.valueOf(demo.pid()));
    assertThat(driverPid).isEqualTo(String.valueOf(demo.pid()));
    assertThat(lines)
        .contains("[driver pid " + driverPid + "] demo finished")
        .noneMatch(l -> l.contains("ERROR") || l.contains("WARN") || l.contains("Exception"));
    // each line of the initial configuration comes before the driver's final values
    int lastInitial = -1;
    int firstFinal = Integer.MAX_VALUE;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).endsWith("the initial configuration is 10")) {
        lastInitial = i;
      }
      if (lines.get(i).endsWith("the final value is 100")) {
        firstFinal = Math.min(firstFinal, i);
      }
    }
    assertThat(lastInitial).isLessThan(firstFinal);
  }
}
