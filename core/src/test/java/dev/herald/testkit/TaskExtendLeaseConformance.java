package dev.herald.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.spi.ClaimWant;
import dev.herald.spi.ClaimedTask;
import dev.herald.spi.TaskExtendLeaseParams;
import dev.herald.spi.TaskTokens;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code taskExtendLease}: a matching claim keeps its task past the lease it was claimed with; a
 * stale token extends nothing.
 */
public interface TaskExtendLeaseConformance extends OperationKit {

  @Test
  default void anExtendedLeaseOutlivesTheLeaseOfTheClaim() {
    insert("r", 1);
    List<ClaimedTask> claimed =
        claim("node-a", Duration.ofSeconds(1), new ClaimWant(SIGNAL, "r", 1));

    assertThat(
            ops()
                .taskExtendLease(
                    new TaskExtendLeaseParams(tokens("node-a", claimed), Duration.ofSeconds(60)))
                .collectList()
                .block())
        .containsExactly(claimed.get(0).id());

    // Well past the claim's one-second lease, nobody else can take it.
    Awaitility.await()
        .during(Duration.ofMillis(2500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> claim("node-b", "r", 1).isEmpty());
    assertThat(fixture().leasedBy("node-a").block()).isEqualTo(1);
  }

  @Test
  default void aStaleTokenExtendsNothing() {
    ClaimedTask task = claimOne("node-a", "r");
    for (TaskTokens stale : staleTokens("node-a", task)) {
      assertThat(
              ops()
                  .taskExtendLease(new TaskExtendLeaseParams(stale, Duration.ofSeconds(60)))
                  .collectList()
                  .block())
          .as("%s", stale)
          .isEmpty();
    }
  }
}
