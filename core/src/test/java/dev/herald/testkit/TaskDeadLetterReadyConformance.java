package dev.herald.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.spi.ClaimedTask;
import dev.herald.spi.TaskDeadLetterReadyParams;
import dev.herald.spi.TaskListRow;
import org.junit.jupiter.api.Test;

/**
 * {@code taskDeadLetterReady}: dead-letters the unleased ready tasks of one pair with the reason in
 * {@code last_error}; a task leased by a live claim, and every other pair, are left alone.
 */
public interface TaskDeadLetterReadyConformance extends OperationKit {

  @Test
  default void deadLettersUnleasedReadyTasksOfOnePairOnly() {
    insert("gone", 3);
    ClaimedTask leased = claim("node-a", "gone", 1).get(0);
    insert("kept", 2);

    assertThat(
            ops()
                .taskDeadLetterReady(new TaskDeadLetterReadyParams(SIGNAL, "gone", "no node knows"))
                .block())
        .isEqualTo(2);

    assertThat(rows("dead", "gone"))
        .hasSize(2)
        .allSatisfy(r -> assertThat(r.lastError()).isEqualTo("no node knows"))
        .extracting(TaskListRow::id)
        .doesNotContain(leased.id());
    assertThat(rows("ready", "gone")).extracting(TaskListRow::id).containsExactly(leased.id());
    assertThat(rows("ready", "kept")).hasSize(2);
  }
}
