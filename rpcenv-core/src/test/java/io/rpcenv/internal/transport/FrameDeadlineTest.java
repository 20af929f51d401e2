package io.rpcenv.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The frame timeout counts the time reading ran since a frame last completed; time this env paused
 * reading for want of memory does not count, however the pauses fall between the checks.
 */
class FrameDeadlineTest {
  private static final long MS = 1_000_000L;
  private final FrameDeadline deadline = new FrameDeadline(Duration.ofSeconds(2));

  @Test
  void expiresWhenReadingRanForTheWholeTimeoutWithoutAFrameCompleting() {
    deadline.start(7, 0);
    assertThat(deadline.expired(7, 500 * MS)).isFalse();
    assertThat(deadline.expired(7, 1000 * MS)).isFalse();
    assertThat(deadline.expired(7, 1500 * MS)).isFalse();
    assertThat(deadline.expired(7, 2000 * MS)).isTrue();
  }

  @Test
  void aFrameCompletingStartsTheCountAgain() {
    deadline.start(7, 0);
    assertThat(deadline.expired(7, 1500 * MS)).isFalse();
    assertThat(deadline.expired(8, 2000 * MS)).isFalse();
    assertThat(deadline.expired(8, 3900 * MS)).isFalse();
    assertThat(deadline.expired(8, 4000 * MS)).isTrue();
  }

  @Test
  void timePausedAcrossChecksDoesNotCount() {
    deadline.start(7, 0);
    deadline.paused(100 * MS);
    for (long t = 500; t <= 10_000; t += 500) {
      assertThat(deadline.expired(7, t * MS))
          .as("paused since 100 ms, checked at %s ms", t)
          .isFalse();
    }
    deadline.resumed(10_050 * MS);
    assertThat(deadline.expired(7, 10_500 * MS)).as("ran 100 + 450 ms").isFalse();
    assertThat(deadline.expired(7, 11_949 * MS)).as("ran 100 + 1,899 ms").isFalse();
    assertThat(deadline.expired(7, 11_950 * MS)).as("ran 100 + 1,900 ms").isTrue();
  }

  /**
   * Reading that is open at every check but paused for most of each interval, as a connection is
   * while others hold the memory, has run for little of the time: it is not given up.
   */
  @Test
  void aConnectionOpenAtEveryCheckButPausedBetweenIsNotGivenUpForThePauses() {
    deadline.start(7, 0);
    for (long t = 0; t < 10_000; t += 500) {
      deadline.paused((t + 10) * MS);
      deadline.resumed((t + 490) * MS);
      assertThat(deadline.expired(7, (t + 500) * MS)).as("check at %s ms", t + 500).isFalse();
    }
  }

  @Test
  void aNewFrameStartsWithNothingRunEvenWhilePaused() {
    deadline.start(7, 0);
    assertThat(deadline.expired(7, 1900 * MS)).isFalse();
    deadline.paused(1950 * MS);
    deadline.start(8, 3000 * MS);
    deadline.resumed(3500 * MS);
    assertThat(deadline.expired(8, 5000 * MS)).as("ran 1.5 s since the start").isFalse();
    assertThat(deadline.expired(8, 5500 * MS)).isTrue();
  }
}
