package dev.herald.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.spi.TaskCountReadyRow;
import org.junit.jupiter.api.Test;

/** {@code taskCountReady}: ready tasks (leased or not) per pair; dead tasks are not counted. */
public interface TaskCountReadyConformance extends OperationKit {

  @Test
  default void countsReadyTasksPerSignalAndReceiverInOrder() {
    insert("b", 2);
    insert("a", 3);
    assertThat(claim("node-a", "a", 1)).hasSize(1);
    insertDead("c", 2, "x");
    fixture().insertRaw("another.signal", "a", "{}").block();

    assertThat(ops().taskCountReady().collectList().block())
        .containsExactly(
            new TaskCountReadyRow("another.signal", "a", 1),
            new TaskCountReadyRow(SIGNAL, "a", 3),
            new TaskCountReadyRow(SIGNAL, "b", 2));
  }
}
