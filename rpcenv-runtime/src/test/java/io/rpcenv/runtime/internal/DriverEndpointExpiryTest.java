package io.rpcenv.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rpcenv.Endpoints;
import io.rpcenv.RpcAddress;
import io.rpcenv.RpcEndpointRef;
import io.rpcenv.RpcEnv;
import io.rpcenv.TestEnvs;
import io.rpcenv.plugin.ExecutorInfo;
import io.rpcenv.testkit.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The driver's expiry on a clock the test moves: what a pause of the driver is and is not. */
class DriverEndpointExpiryTest {
  @RegisterExtension final Resources resources = new Resources();

  private long now;
  private final List<String> removed = new CopyOnWriteArrayList<>();

  private DriverEndpoint driver() {
    DriverEndpoint.Listener listener =
        new DriverEndpoint.Listener() {
          @Override
          public void added(ExecutorInfo executor) {}

          @Override
          public void removed(ExecutorInfo executor, String reason) {
            removed.add(executor.executorId() + ": " + reason);
          }
        };
    return new DriverEndpoint(
        "app", Map::of, Duration.ofSeconds(5), Duration.ofSeconds(1), listener, () -> now);
  }

  private void register(DriverEndpoint d, String id) {
    RpcEnv env = new TestEnvs(resources).server("executor-side");
    RpcEndpointRef executor = env.setupEndpoint("executor", Endpoints.receiving(m -> {}));
    d.live()
        .put(
            id,
            new LiveExecutor(
                new ExecutorInfo(id, "host", 1, Instant.EPOCH),
                executor,
                null,
                new RpcAddress("127.0.0.1", 1),
                now));
  }

  private void at(double seconds, DriverEndpoint d) {
    now = (long) (seconds * TimeUnit.SECONDS.toNanos(1));
    d.receive(d.expiryCheck());
  }

  @Test
  void aCheckThatComesLateDoesNotHoldTheDriversPauseAgainstItsExecutors() {
    DriverEndpoint d = driver();
    register(d, "e1");
    at(1, d);
    at(8.5, d); // the driver did not run for 7.5 s: longer than the 5 s timeout
    assertThat(removed).isEmpty();
    assertThat(d.live()).containsKey("e1");
    // Real silence after the pause still expires it: 5 s of checks that came on time.
    for (double t = 9.5; t < 13; t++) {
      at(t, d);
    }
    assertThat(removed).hasSize(1);
    assertThat(removed.get(0)).startsWith("e1: heartbeat timed out");
  }

  @Test
  void anExecutorSilentForTheTimeoutWhileTheDriverRanIsExpired() {
    DriverEndpoint d = driver();
    register(d, "e1");
    for (int t = 1; t <= 5; t++) {
      at(t, d);
    }
    assertThat(removed).isEmpty();
    at(6, d);
    assertThat(removed).hasSize(1);
  }
}
