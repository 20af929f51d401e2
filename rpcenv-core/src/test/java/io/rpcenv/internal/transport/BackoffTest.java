package io.rpcenv.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Duration BASE = Duration.ofMillis(200);

  @Test
  void theCeilingDoublesPerRetryUpToThirtySeconds() {
    assertThat(Backoff.ceilingMillis(BASE, 1)).isEqualTo(200);
    assertThat(Backoff.ceilingMillis(BASE, 2)).isEqualTo(400);
    assertThat(Backoff.ceilingMillis(BASE, 5)).isEqualTo(3200);
    assertThat(Backoff.ceilingMillis(BASE, 9)).isEqualTo(30_000);
    assertThat(Backoff.ceilingMillis(BASE, 1000)).isEqualTo(30_000);
  }

  @Test
  void eachWaitLiesBetweenATenthOfTheCeilingAndTheCeiling() {
    assertThat(Backoff.delayMillis(BASE, 3, 0.0)).isEqualTo(80);
    assertThat(Backoff.delayMillis(BASE, 3, 0.5)).isEqualTo(440);
    assertThat(Backoff.delayMillis(BASE, 3, 0.999_999)).isEqualTo(800);
  }

  @Test
  void aThousandClientsRetryingTogetherAreSpreadOverTheWindow() {
    Random random = new Random(42);
    int[] buckets = new int[10]; // tenths of the 3.2 s window of the fifth retry
    for (int client = 0; client < 1000; client++) {
      long wait = Backoff.delayMillis(BASE, 5, random.nextDouble());
      assertThat(wait).isBetween(320L, 3200L);
      buckets[(int) Math.min(9, wait * 10 / 3200)]++;
    }
    // the first tenth is below the floor; every other tenth gets its share (about 111), none a
    // crowd
    assertThat(buckets[0]).isZero();
    for (int b = 1; b < 10; b++) {
      assertThat(buckets[b]).as("tenth %d", b).isBetween(60, 170);
    }
  }
}
