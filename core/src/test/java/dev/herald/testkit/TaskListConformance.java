package dev.herald.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.spi.TaskListParams;
import dev.herald.spi.TaskListRow;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code taskList}: one state's tasks, filtered, oldest first, page by page by id. */
public interface TaskListConformance extends OperationKit {

  @Test
  default void pagesByIdWithinOneStateAndFilter() {
    insert("a", 5);
    insert("b", 2);
    insertDead("a", 1, "dead one");

    List<TaskListRow> first = page("a", 0);
    List<TaskListRow> second = page("a", first.get(1).id());
    List<TaskListRow> third = page("a", second.get(1).id());

    assertThat(first).hasSize(2);
    assertThat(second).hasSize(2);
    assertThat(third).hasSize(1);
    List<Long> ids =
        java.util.stream.Stream.of(first, second, third)
            .flatMap(List::stream)
            .map(TaskListRow::id)
            .toList();
    assertThat(ids).isSorted().doesNotHaveDuplicates();
    assertThat(first.get(0).payload()).contains("\"key\"");
    assertThat(first)
        .allSatisfy(
            r -> {
              assertThat(r.signal()).isEqualTo(SIGNAL);
              assertThat(r.receiver()).isEqualTo("a");
              assertThat(r.state()).isEqualTo("ready");
              assertThat(r.attempt()).isZero();
              assertThat(r.createdAt()).isNotNull();
              assertThat(r.runAt()).isNotNull();
            });
    assertThat(rows("dead", null))
        .singleElement()
        .extracting(TaskListRow::lastError)
        .isEqualTo("dead one");
    assertThat(ops().taskList(new TaskListParams("ready", null, null, 0, 100)).count().block())
        .isEqualTo(7);
  }

  private List<TaskListRow> page(String receiver, long afterId) {
    return ops()
        .taskList(new TaskListParams("ready", SIGNAL, receiver, afterId, 2))
        .collectList()
        .block();
  }
}
