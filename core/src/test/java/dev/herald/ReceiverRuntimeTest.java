package dev.herald;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class ReceiverRuntimeTest {

  private static final Duration MARGIN = Duration.ofSeconds(1);
  private static final Duration POLL = Duration.ofSeconds(5);
  private static final Instant T = Instant.parse("2026-11-29T10:00:00Z");

  private final ReceiverRuntime rt =
      new ReceiverRuntime(
          new Route<>("s", String.class, "r", ReceiverOptions.defaults(), d -> Mono.empty()));

  @Test
  void theFirstClaimAndEveryClaimAfterASweepRequestStartFromTheOldestTask() {
    assertThat(rt.claimSince(MARGIN)).isNull();
    rt.claimed(4, 4, T, T.plusSeconds(1), POLL);
    assertThat(rt.claimSince(MARGIN)).isEqualTo(T.minus(MARGIN));
    rt.sweepNext();
    assertThat(rt.claimSince(MARGIN)).isNull();
    assertThat(rt.claimSince(MARGIN)).isEqualTo(T.minus(MARGIN));
  }

  @Test
  void aFullClaimMovesToItsLatestDueTimeAShortOneToTheOldestOpenTransaction() {
    assertThat(rt.claimSince(MARGIN)).as("the first claim sweeps").isNull();
    rt.claimed(4, 4, T, T.plusSeconds(2), POLL);
    assertThat(rt.claimSince(Duration.ZERO)).isEqualTo(T);
    rt.claimed(3, 4, T, T.plusSeconds(2), POLL);
    assertThat(rt.claimSince(Duration.ZERO)).isEqualTo(T.plusSeconds(2));
    rt.claimed(4, 4, T, T.minusSeconds(2), POLL);
    assertThat(rt.claimSince(Duration.ZERO)).isEqualTo(T.minusSeconds(2));
  }

  @Test
  void aTransactionOpenLongerThanThePollIntervalHoldsThePositionBackNoFurther() {
    assertThat(rt.claimSince(MARGIN)).as("the first claim sweeps").isNull();
    rt.claimed(4, 4, T, T.minusSeconds(60), POLL);
    assertThat(rt.claimSince(Duration.ZERO)).isEqualTo(T.minus(POLL));
    rt.claimed(1, 4, T, T.minusSeconds(60), POLL);
    assertThat(rt.claimSince(Duration.ZERO)).isEqualTo(T.minus(POLL));
  }
}
