package dev.herald;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  @Test
  void capsGrowExponentiallyUpToTheMaximum() {
    RetryPolicy p =
        RetryPolicy.builder()
            .initialDelay(Duration.ofMillis(100))
            .multiplier(3)
            .maxDelay(Duration.ofSeconds(1))
            .build();
    assertThat(p.capAfter(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(p.capAfter(2)).isEqualTo(Duration.ofMillis(300));
    assertThat(p.capAfter(3)).isEqualTo(Duration.ofMillis(900));
    assertThat(p.capAfter(4)).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.capAfter(500)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void fullJitterDrawsFromZeroToTheCap() {
    RetryPolicy p = RetryPolicy.defaults();
    assertThat(p.delayAfter(3, () -> 0.0)).isEqualTo(Duration.ZERO);
    assertThat(p.delayAfter(3, () -> 0.5)).isEqualTo(Duration.ofSeconds(2));
    for (int i = 0; i < 1000; i++) {
      Duration d = p.delayAfter(4, ThreadLocalRandom.current()::nextDouble);
      assertThat(d).isBetween(Duration.ZERO, Duration.ofSeconds(8));
    }
  }

  @Test
  void withoutJitterTheDelayIsTheCap() {
    RetryPolicy p = RetryPolicy.builder().jitter(false).build();
    assertThat(p.delayAfter(2, () -> 0.1)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void defaultsAreDocumented() {
    RetryPolicy p = RetryPolicy.defaults();
    assertThat(p.maxAttempts()).isEqualTo(10);
    assertThat(p.retriesAfter(9)).isTrue();
    assertThat(p.retriesAfter(10)).isFalse();
    assertThat(RetryPolicy.noRetry().retriesAfter(1)).isFalse();
  }
}
