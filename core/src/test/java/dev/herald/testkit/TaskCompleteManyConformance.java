package dev.herald.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.spi.ClaimedTask;
import dev.herald.spi.TaskCompleteManyParams;
import dev.herald.spi.TaskTokens;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code taskCompleteMany}: deletes the tasks whose claim token still matches, and only those. */
public interface TaskCompleteManyConformance extends OperationKit {

  @Test
  default void deletesTasksWhoseTokensMatchAndAnswersTheirIds() {
    insert("r", 3);
    List<ClaimedTask> claimed = claim("node-a", "r", 3);

    List<Long> deleted =
        ops()
            .taskCompleteMany(new TaskCompleteManyParams(tokens("node-a", claimed.subList(0, 2))))
            .collectList()
            .block();

    assertThat(deleted).containsExactlyInAnyOrder(claimed.get(0).id(), claimed.get(1).id());
    assertThat(rows("ready", "r")).extracting(r -> r.id()).containsExactly(claimed.get(2).id());
  }

  @Test
  default void aStaleTokenDeletesNothing() {
    ClaimedTask task = claimOne("node-a", "r");
    for (TaskTokens stale : staleTokens("node-a", task)) {
      assertThat(ops().taskCompleteMany(new TaskCompleteManyParams(stale)).collectList().block())
          .as("%s", stale)
          .isEmpty();
    }
    assertThat(row(task.id())).isPresent();
  }
}
