package dev.herald.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.spi.ClaimedTask;
import dev.herald.spi.DeadTaskFilter;
import dev.herald.spi.TaskListRow;
import dev.herald.spi.TaskRequeueParams;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code taskRequeue}: dead tasks chosen by id or by pair become ready and due with their attempts
 * reset; tasks that are not dead are never touched.
 */
public interface TaskRequeueConformance extends OperationKit {

  @Test
  default void requeuesDeadTasksByIdOrByPairAndLeavesOthersAlone() {
    DeadAndReady setup = deadAndReady();
    List<TaskListRow> deadA = setup.deadA();
    long readyA = setup.readyA();

    assertThat(
            ops()
                .taskRequeue(
                    new TaskRequeueParams(
                        new DeadTaskFilter(new long[] {deadA.get(0).id(), readyA}, null, null)))
                .block())
        .isEqualTo(1);
    assertThat(
            ops().taskRequeue(new TaskRequeueParams(new DeadTaskFilter(null, SIGNAL, "b"))).block())
        .isEqualTo(2);

    assertThat(rows("dead", null)).extracting(TaskListRow::id).containsExactly(deadA.get(1).id());
    List<ClaimedTask> claimed = claim("node-a", "a", 10);
    assertThat(claimed).extracting(ClaimedTask::id).contains(deadA.get(0).id(), readyA);
    assertThat(claimed).extracting(ClaimedTask::attempt).containsOnly(1);
    assertThat(claim("node-a", "b", 10)).hasSize(2);
  }
}
