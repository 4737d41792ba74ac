package dev.herald.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.spi.ClaimedTask;
import dev.herald.spi.TaskDeadLetterParams;
import dev.herald.spi.TaskListRow;
import org.junit.jupiter.api.Test;

/**
 * {@code taskDeadLetter}: moves a claimed task to {@code dead} with the reason in {@code
 * last_error}; a stale token changes nothing.
 */
public interface TaskDeadLetterConformance extends OperationKit {

  @Test
  default void movesTheTaskToDeadWithItsLastError() {
    ClaimedTask task = claimOne("node-a", "r");

    assertThat(
            ops()
                .taskDeadLetter(
                    new TaskDeadLetterParams("node-a", task.id(), task.attempt(), "gave up"))
                .block())
        .isTrue();

    TaskListRow row = row(task.id()).orElseThrow();
    assertThat(row.state()).isEqualTo("dead");
    assertThat(row.lastError()).isEqualTo("gave up");
    assertThat(fixture().leasedBy("node-a").block()).isZero();
    assertThat(claim("node-b", "r", 10)).isEmpty();
  }

  @Test
  default void aStaleTokenDeadLettersNothing() {
    ClaimedTask task = claimOne("node-a", "r");
    assertThat(
            ops()
                .taskDeadLetter(
                    new TaskDeadLetterParams("someone-else", task.id(), task.attempt(), "x"))
                .block())
        .isFalse();
    assertThat(
            ops()
                .taskDeadLetter(
                    new TaskDeadLetterParams("node-a", task.id(), task.attempt() + 1, "x"))
                .block())
        .isFalse();
    assertThat(row(task.id()).orElseThrow().state()).isEqualTo("ready");
  }
}
