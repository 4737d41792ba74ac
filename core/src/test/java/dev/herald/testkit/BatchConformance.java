package dev.herald.testkit;

import static dev.herald.testkit.Kit.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.BatchResult;
import dev.herald.Delivery;
import dev.herald.Herald;
import dev.herald.PermanentFailureException;
import dev.herald.ReceiverOptions;
import dev.herald.Signal;
import dev.herald.TaskInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Batch receivers: deliveries ready together go to one call of up to the batch size, and each task
 * gets its own outcome: failed ones retry one by one, the others are done.
 */
public interface BatchConformance extends Kit {

  @Test
  default void readyDeliveriesGoTogetherAndOnlyTheFailedOnesRetry() {
    Recorder rec = new Recorder();
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connectBatch(
        "indexer",
        4,
        ReceiverOptions.builder().retryPolicy(Kit.retryEvery(Duration.ofMillis(50), 5)).build(),
        batch -> {
          sizes.add(batch.size());
          BatchResult result = BatchResult.allSucceeded();
          for (Delivery<Note> d : batch) {
            rec.called(d);
            if (d.payload().n() % 5 == 3 && d.attempt() == 1) {
              result = result.withFailure(d, new IllegalStateException("index refused it"));
            }
          }
          return Mono.just(result);
        });
    sendCommitted(signal, 12);
    herald.start();

    eventually().until(() -> rec.calls("indexer").size() == 12 + 2);
    eventually().until(() -> fixture().tasks().collectList().block().isEmpty());
    assertThat(sizes).allMatch(n -> n >= 1 && n <= 4);
    assertThat(sizes).as("a claim's deliveries share calls").anyMatch(n -> n > 1);
    assertThat(rec.calls("indexer"))
        .filteredOn(c -> c.attempt() == 2)
        .extracting(Recorder.Call::key)
        .as("only the failed tasks ran again")
        .containsExactlyInAnyOrder("n3", "n8");
  }

  @Test
  default void aFailedCallFailsEveryTaskInIt() {
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connectBatch(
        "bulk",
        10,
        batch -> Mono.error(new PermanentFailureException("the bulk endpoint is gone")));
    sendCommitted(signal, 3);
    herald.start();

    eventually().until(() -> herald.deadLetters().list(10).collectList().block().size() == 3);
    assertThat(herald.deadLetters().list(10).collectList().block())
        .extracting(TaskInfo::lastError)
        .allMatch(e -> e.contains("the bulk endpoint is gone"));
  }

  @Test
  default void batchSizeIsValidatedNamingIt() {
    Signal<Note> signal = fixture().herald().signal(SIGNAL, Note.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> signal.connectBatch("b", 0, batch -> Mono.empty()))
        .hasMessageContaining("maxBatch");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> signal.connectBatch("b", 10_001, batch -> Mono.empty()))
        .hasMessage("maxBatch must be at most 10000, but was 10001");
  }
}
