package dev.herald.testkit;

import static dev.herald.testkit.Kit.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.SendOptions;
import dev.herald.SendReceipt;
import dev.herald.Signal;
import dev.herald.spi.TaskListRow;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * {@code taskCancel}: a task that has not started can be cancelled by id or by dedupe key, and
 * never runs; a running one cannot.
 */
public interface TaskCancelConformance extends Kit {

  @Test
  default void aScheduledTaskCancelledByIdNeverRuns() {
    Recorder rec = new Recorder();
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect("r", d -> Mono.fromRunnable(() -> rec.called(d)));
    herald.start();

    SendReceipt later =
        fixture()
            .inTransaction(
                signal.sendReliable(
                    new Note("cancelled", 1), SendOptions.delay(Duration.ofMillis(2500))))
            .block();
    assertThat(herald.cancelTask(later.taskId("r")).block()).isTrue();
    assertThat(herald.cancelTask(later.taskId("r")).block()).as("already gone").isFalse();

    // A marker due after the cancelled task would have been: once it ran, the other would have.
    fixture()
        .inTransaction(
            signal.sendReliable(new Note("marker", 2), SendOptions.delay(Duration.ofMillis(3000))))
        .block();
    eventually().until(() -> rec.calls("r", "marker").size() == 1);
    assertThat(rec.calls("r", "cancelled")).isEmpty();
  }

  @Test
  default void cancellingByDedupeKeyCancelsEveryReceiversTaskAndFreesTheKey() {
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class).declare("a").declare("b");
    SendOptions reminder = SendOptions.dedupeKey("cart-7").withDelay(Duration.ofHours(1));
    fixture().inTransaction(signal.sendReliable(new Note("cart-7", 1), reminder)).block();
    fixture()
        .inTransaction(signal.sendReliable(new Note("cart-8", 1), SendOptions.dedupeKey("cart-8")))
        .block();

    assertThat(signal.cancel("cart-7").block()).isEqualTo(2);
    assertThat(signal.cancel("cart-7").block()).isZero();
    assertThat(fixture().tasks().collectList().block())
        .extracting(TaskListRow::payload)
        .allMatch(p -> p.contains("cart-8"))
        .hasSize(2);

    SendReceipt again =
        fixture().inTransaction(signal.sendReliable(new Note("cart-7", 2), reminder)).block();
    assertThat(again.taskIds()).containsOnlyKeys("a", "b");
  }

  @Test
  default void aRunningTaskIsNotCancelled() {
    Recorder rec = new Recorder();
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect(
        "r",
        d -> {
          rec.called(d);
          return Mono.never();
        });
    herald.start();

    SendReceipt running =
        fixture()
            .inTransaction(signal.sendReliable(new Note("running", 1), SendOptions.none()))
            .block();
    eventually().until(() -> rec.calls("r", "running").size() == 1);

    assertThat(herald.cancelTask(running.taskId("r")).block()).isFalse();
    assertThat(fixture().tasks().collectList().block())
        .extracting(TaskListRow::id)
        .containsExactly(running.taskId("r"));
  }
}
