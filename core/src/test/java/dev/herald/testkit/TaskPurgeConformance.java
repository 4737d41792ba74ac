package dev.herald.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.spi.DeadTaskFilter;
import dev.herald.spi.TaskListRow;
import dev.herald.spi.TaskPurgeParams;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code taskPurge}: deletes dead tasks chosen by id or by pair, and never a task that is not dead.
 */
public interface TaskPurgeConformance extends OperationKit {

  @Test
  default void purgesDeadTasksByIdOrByPairAndLeavesOthersAlone() {
    DeadAndReady setup = deadAndReady();
    List<TaskListRow> deadA = setup.deadA();
    long readyA = setup.readyA();

    assertThat(
            ops()
                .taskPurge(
                    new TaskPurgeParams(
                        new DeadTaskFilter(new long[] {deadA.get(0).id(), readyA}, null, null)))
                .block())
        .isEqualTo(1);
    assertThat(ops().taskPurge(new TaskPurgeParams(new DeadTaskFilter(null, SIGNAL, "b"))).block())
        .isEqualTo(2);

    assertThat(rows("dead", null)).extracting(TaskListRow::id).containsExactly(deadA.get(1).id());
    assertThat(rows("ready", null)).extracting(TaskListRow::id).containsExactly(readyA);
  }
}
