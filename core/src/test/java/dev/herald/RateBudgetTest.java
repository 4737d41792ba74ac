package dev.herald;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateBudgetTest {

  private static final long MS = 1_000_000L;

  @Test
  void eachWindowAllowsTheLimitAndOnlyClaimedTasksCount() {
    RateBudget budget = new RateBudget(5, Duration.ofMillis(100));
    assertThat(budget.available(10 * MS)).isEqualTo(5);
    budget.consume(20 * MS, 3);
    assertThat(budget.available(30 * MS)).isEqualTo(2);
    budget.consume(40 * MS, 2);
    assertThat(budget.available(99 * MS)).isZero();
    assertThat(budget.untilNextWindow(99 * MS)).isEqualTo(Duration.ofMillis(1));

    assertThat(budget.available(100 * MS)).as("a new window").isEqualTo(5);
    budget.consume(150 * MS, 0);
    assertThat(budget.available(199 * MS)).isEqualTo(5);
    assertThat(budget.untilNextWindow(150 * MS)).isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void aClaimReturningInTheNextWindowCountsThere() {
    RateBudget budget = new RateBudget(4, Duration.ofSeconds(1));
    assertThat(budget.available(900 * MS)).isEqualTo(4);
    budget.consume(1_100 * MS, 4);
    assertThat(budget.available(1_200 * MS)).isZero();
    assertThat(budget.available(2_000 * MS)).isEqualTo(4);
  }
}
