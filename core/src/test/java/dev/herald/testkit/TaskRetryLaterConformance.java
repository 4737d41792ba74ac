package dev.herald.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.spi.ClaimedTask;
import dev.herald.spi.TaskListRow;
import dev.herald.spi.TaskRetryLaterParams;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@code taskRetryLater}: unleases a claimed task, due again after the delay, with the failure in
 * {@code last_error}; a stale token changes nothing.
 */
public interface TaskRetryLaterConformance extends OperationKit {

  @Test
  default void makesTheTaskDueAfterTheDelayWithItsLastError() {
    ClaimedTask task = claimOne("node-a", "r");
    Instant before = Instant.now();

    assertThat(
            ops()
                .taskRetryLater(
                    new TaskRetryLaterParams(
                        "node-a", task.id(), task.attempt(), Duration.ofMinutes(10), "boom"))
                .block())
        .isTrue();

    TaskListRow row = row(task.id()).orElseThrow();
    assertThat(row.state()).isEqualTo("ready");
    assertThat(row.lastError()).isEqualTo("boom");
    assertThat(row.attempt()).isEqualTo(task.attempt());
    assertThat(row.runAt()).isAfter(before.plus(Duration.ofMinutes(9)));
    assertThat(fixture().leasedBy("node-a").block()).isZero();
    assertThat(claim("node-b", "r", 10)).as("not due yet").isEmpty();
  }

  @Test
  default void aStaleTokenRetriesNothing() {
    ClaimedTask task = claimOne("node-a", "r");
    assertThat(
            ops()
                .taskRetryLater(
                    new TaskRetryLaterParams(
                        "someone-else", task.id(), task.attempt(), Duration.ZERO, "x"))
                .block())
        .isFalse();
    assertThat(
            ops()
                .taskRetryLater(
                    new TaskRetryLaterParams(
                        "node-a", task.id(), task.attempt() + 1, Duration.ZERO, "x"))
                .block())
        .isFalse();
    assertThat(row(task.id()).orElseThrow().lastError()).isNull();
    assertThat(fixture().leasedBy("node-a").block()).isEqualTo(1);
  }
}
