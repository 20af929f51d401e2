package io.rpcenv.internal.timer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.Timeout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The wheel turned by hand on a fake clock, and once by the shared ticker. */
class EnvTimerTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final EnvTimer timer = new EnvTimer("test", now::get, false);
  private final List<String> fired = new ArrayList<>();

  private void at(long millis) {
    now.set(1_000_000_000L + TimeUnit.MILLISECONDS.toNanos(millis));
    timer.advance(now.get());
  }

  private Timeout after(String name, long millis) {
    return timer.newTimeout(t -> fired.add(name), millis, TimeUnit.MILLISECONDS);
  }

  @Test
  void aTimeoutRunsOnceAtItsDeadlineAndNotBefore() {
    Timeout t = after("a", 25);
    at(19);
    assertThat(fired).isEmpty();
    at(31);
    assertThat(fired).containsExactly("a");
    assertThat(t.isExpired()).isTrue();
    at(5_000);
    assertThat(fired).containsExactly("a");
  }

  @Test
  void aCancelledTimeoutNeverRunsAndIsNotHandedBackAtStop() {
    Timeout t = after("a", 25);
    at(1); // on its bucket now
    assertThat(t.cancel()).isTrue();
    assertThat(t.cancel()).isFalse();
    at(100);
    assertThat(fired).isEmpty();
    assertThat(timer.stop()).isEmpty();
  }

  @Test
  void deadlinesBeyondOneTurnOfTheWheelWaitTheirTurns() {
    after("long", 12_000); // the wheel turns every 5.12 s
    at(5_200);
    at(10_300);
    assertThat(fired).isEmpty();
    at(11_990);
    assertThat(fired).isEmpty();
    at(12_011);
    assertThat(fired).containsExactly("long");
  }

  @Test
  void aLateTurnCatchesUpRunningEachDueTimeoutOnceInDeadlineOrder() {
    after("b", 300);
    after("a", 100);
    after("c", 9_000);
    at(3_000); // the process was paused
    assertThat(fired).containsExactly("a", "b");
    at(9_010);
    assertThat(fired).containsExactly("a", "b", "c");
  }

  @Test
  void stopHandsBackWhatWaitedAndRefusesNewTimeouts() {
    Timeout waiting = after("w", 60_000);
    Timeout queued = after("q", 1);
    at(0); // "w" on the wheel; "q" went in but is due next tick
    Timeout added = after("not yet on the wheel", 10);
    assertThat(timer.stop()).containsExactlyInAnyOrder(waiting, queued, added);
    assertThatThrownBy(() -> after("late", 1)).isInstanceOf(IllegalStateException.class);
    at(100_000);
    assertThat(fired).isEmpty();
  }

  @Test
  void theSharedTickerTurnsARealTimer() throws Exception {
    EnvTimer real = new EnvTimer("real");
    try {
      CountDownLatch ran = new CountDownLatch(1);
      real.newTimeout(t -> ran.countDown(), 20, TimeUnit.MILLISECONDS);
      assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      real.stop();
    }
  }
}
