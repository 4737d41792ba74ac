package dev.herald.testkit;

import static dev.herald.testkit.Kit.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.ReceiverOptions;
import dev.herald.Signal;
import dev.herald.TaskInfo;
import dev.herald.spi.TaskExpireParams;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Retention ({@code taskCompleteMany} keeping a copy, {@code taskExpire}): off by default; when on,
 * completed tasks stay listable with their attempts and completion time until they expire, and
 * expire oldest first in bounded batches.
 */
public interface RetentionConformance extends Kit {

  private Herald keeping(Recorder rec) {
    Herald herald = fixture().herald(o -> o.retention(Duration.ofHours(1)));
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect(
        "crm-sync",
        ReceiverOptions.builder().retryPolicy(Kit.retryEvery(Duration.ofMillis(50), 5)).build(),
        d -> {
          rec.called(d);
          return d.payload().n() == 1 && d.attempt() == 1
              ? Mono.error(new IllegalStateException("crm timed out"))
              : Mono.empty();
        });
    herald.start();
    sendCommitted(signal, 3);
    return herald;
  }

  @Test
  default void completedTasksAreKeptWithTheirAttemptsWhenRetentionIsOn() {
    Herald herald = keeping(new Recorder());

    eventually().until(() -> herald.completedTasks(SIGNAL, "crm-sync", 0, 10).count().block() == 3);
    List<TaskInfo> done = herald.completedTasks(SIGNAL, null, 0, 10).collectList().block();
    assertThat(done).extracting(TaskInfo::state).containsOnly("done");
    assertThat(done)
        .filteredOn(t -> t.payload().contains("\"n1\""))
        .singleElement()
        .extracting(TaskInfo::attempt)
        .isEqualTo(2);
    assertThat(done)
        .filteredOn(t -> !t.payload().contains("\"n1\""))
        .extracting(TaskInfo::attempt)
        .containsOnly(1);
    assertThat(herald.readyTasks(SIGNAL, null, 0, 10).collectList().block()).isEmpty();
    assertThat(herald.completedTasks(SIGNAL, "other", 0, 10).collectList().block()).isEmpty();
  }

  @Test
  default void withoutRetentionNothingIsKept() {
    Recorder rec = new Recorder();
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect("r", d -> Mono.fromRunnable(() -> rec.called(d)));
    herald.start();
    sendCommitted(signal, 2);

    eventually().until(() -> rec.calls("r").size() == 2);
    eventually().until(() -> fixture().tasks().collectList().block().isEmpty());
    assertThat(herald.completedTasks(null, null, 0, 10).collectList().block()).isEmpty();
  }

  @Test
  default void expiredTasksAreRemovedOldestFirstInBoundedBatches() {
    Herald herald = keeping(new Recorder());
    eventually().until(() -> herald.completedTasks(SIGNAL, null, 0, 10).count().block() == 3);

    TaskExpireParams twoAtATime = new TaskExpireParams(Duration.ZERO, 2);
    // Time must pass, not a condition: every kept task must be older than the expiry's now.
    Awaitility.await().pollDelay(Duration.ofMillis(50)).until(() -> true);
    assertThat(fixture().store().taskExpire(twoAtATime).block()).isEqualTo(2);
    assertThat(herald.completedTasks(SIGNAL, null, 0, 10).count().block()).isEqualTo(1);
    assertThat(fixture().store().taskExpire(twoAtATime).block()).isEqualTo(1);
    assertThat(fixture().store().taskExpire(twoAtATime).block()).isZero();
    assertThat(fixture().store().taskExpire(new TaskExpireParams(Duration.ofHours(1), 10)).block())
        .isZero();
  }
}
