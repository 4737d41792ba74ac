package dev.herald.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.spi.ClaimedTask;
import dev.herald.spi.TaskReleaseParams;
import dev.herald.spi.TaskTokens;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code taskRelease}: gives claimed tasks back at once, refunding the claim's attempt or not; a
 * stale token changes nothing.
 */
public interface TaskReleaseConformance extends OperationKit {

  @Test
  default void releasedTasksAreClaimableAtOnceWithTheirAttemptRefundedOrCounted() {
    insert("r", 2);
    List<ClaimedTask> claimed = claim("node-a", "r", 2);
    ClaimedTask refunded = claimed.get(0);
    ClaimedTask counted = claimed.get(1);

    assertThat(
            ops()
                .taskRelease(new TaskReleaseParams(tokens("node-a", List.of(refunded)), true))
                .collectList()
                .block())
        .containsExactly(refunded.id());
    assertThat(
            ops()
                .taskRelease(new TaskReleaseParams(tokens("node-a", List.of(counted)), false))
                .collectList()
                .block())
        .containsExactly(counted.id());

    assertThat(fixture().leasedBy("node-a").block()).isZero();
    List<ClaimedTask> again = claim("node-b", "r", 2);
    assertThat(again).extracting(ClaimedTask::id).containsExactly(refunded.id(), counted.id());
    assertThat(again).extracting(ClaimedTask::attempt).containsExactly(1, 2);
  }

  @Test
  default void aStaleTokenReleasesNothing() {
    ClaimedTask task = claimOne("node-a", "r");
    for (TaskTokens stale : staleTokens("node-a", task)) {
      assertThat(ops().taskRelease(new TaskReleaseParams(stale, true)).collectList().block())
          .as("%s", stale)
          .isEmpty();
    }
    assertThat(fixture().leasedBy("node-a").block()).isEqualTo(1);
  }
}
