package dev.herald.testkit;

import static dev.herald.testkit.Kit.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.PermanentFailureException;
import dev.herald.ReceiverOptions;
import dev.herald.SendOptions;
import dev.herald.SendReceipt;
import dev.herald.Signal;
import dev.herald.spi.TaskListRow;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Dedupe keys ({@code taskInsertMany} with a key): at most one pending task per signal, receiver
 * and key; the sender learns whether its send was deduplicated; a key is free again once its task
 * succeeded, was dead-lettered or its transaction rolled back.
 */
public interface DedupeConformance extends Kit {

  private SendReceipt send(Signal<Note> signal, String key, int n) {
    return fixture()
        .inTransaction(signal.sendReliable(new Note(key, n), SendOptions.dedupeKey(key)))
        .block();
  }

  @Test
  default void aSendWhoseKeyIsPendingWritesNothingAndSaysSo() {
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class).declare("a").declare("b");
    Signal<Note> other = herald.signal("kit.other", Note.class).declare("a");

    SendReceipt first = send(signal, "order-42", 1);
    SendReceipt again = send(signal, "order-42", 2);
    SendReceipt otherKey = send(signal, "order-43", 3);
    SendReceipt otherSignal = send(other, "order-42", 4);

    assertThat(first.taskIds()).containsOnlyKeys("a", "b");
    assertThat(first.deduplicated()).isEmpty();
    assertThat(first.isDuplicate()).isFalse();
    assertThat(again.taskIds()).isEmpty();
    assertThat(again.deduplicated()).containsExactlyInAnyOrder("a", "b");
    assertThat(again.isDuplicate()).isTrue();
    assertThat(otherKey.taskIds()).containsOnlyKeys("a", "b");
    assertThat(otherSignal.taskIds()).containsOnlyKeys("a");
    assertThat(fixture().tasks().collectList().block()).hasSize(5);
  }

  @Test
  default void eightConcurrentTransactionsWithOneKeyWriteExactlyOneTaskWithoutError() {
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class).declare("a");

    // Each transaction stays open after its send, so that all eight overlap.
    List<SendReceipt> receipts =
        Flux.range(0, 8)
            .flatMap(
                i ->
                    fixture()
                        .inTransaction(
                            signal
                                .sendReliable(new Note("same", i), SendOptions.dedupeKey("same"))
                                .delayUntil(r -> Mono.delay(Duration.ofMillis(300)))),
                8)
            .collectList()
            .block(Duration.ofSeconds(30));

    assertThat(receipts).hasSize(8);
    assertThat(receipts).filteredOn(r -> !r.isDuplicate()).hasSize(1);
    assertThat(receipts).filteredOn(SendReceipt::isDuplicate).hasSize(7);
    assertThat(fixture().tasks().collectList().block()).hasSize(1);
  }

  @Test
  default void aRolledBackSendGivesItsKeyBack() {
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class).declare("a");

    Mono<Object> failing =
        signal
            .sendReliable(new Note("k", 1), SendOptions.dedupeKey("k"))
            .then(Mono.error(new IllegalStateException("business rule failed")));
    assertThat(fixture().inTransaction(failing).onErrorResume(e -> Mono.empty()).block()).isNull();

    assertThat(send(signal, "k", 2).taskIds()).containsOnlyKeys("a");
    assertThat(fixture().tasks().collectList().block()).hasSize(1);
  }

  @Test
  default void aKeyIsFreeAgainOnceItsTaskSucceededOrWasDeadLettered() {
    Recorder rec = new Recorder();
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect(
        "r",
        d -> {
          rec.called(d);
          return d.payload().n() < 0
              ? Mono.error(new PermanentFailureException("negative"))
              : Mono.empty();
        });
    herald.start();

    send(signal, "done", 1);
    eventually().until(() -> rec.calls("r", "done").size() == 1);
    eventually().until(() -> fixture().tasks().collectList().block().isEmpty());
    assertThat(send(signal, "done", 2).isDuplicate()).isFalse();
    eventually().until(() -> rec.calls("r", "done").size() == 2);

    send(signal, "dead", -1);
    eventually().until(() -> herald.deadLetters().list(10).collectList().block().size() == 1);
    assertThat(send(signal, "dead", 3).isDuplicate()).isFalse();
    eventually().until(() -> rec.calls("r", "dead").size() == 2);
  }

  @Test
  default void aTaskWaitingToRetryKeepsItsKey() {
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect(
        "r",
        ReceiverOptions.builder().retryPolicy(Kit.retryEvery(Duration.ofMinutes(5), 3)).build(),
        d -> Mono.error(new IllegalStateException("downstream said no")));
    herald.start();

    send(signal, "retrying", 1);
    eventually()
        .until(
            () ->
                fixture().tasks().collectList().block().stream()
                    .anyMatch(t -> t.attempt() == 1 && t.lastError() != null));
    assertThat(send(signal, "retrying", 2).isDuplicate()).isTrue();
    List<TaskListRow> tasks = fixture().tasks().collectList().block();
    assertThat(tasks).hasSize(1);
  }
}
