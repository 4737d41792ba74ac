package dev.herald.testkit;

import static dev.herald.testkit.Kit.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.NoTransactionException;
import dev.herald.PayloadEncodingException;
import dev.herald.SendOptions;
import dev.herald.Signal;
import dev.herald.spi.ClaimWant;
import dev.herald.spi.ClaimedTask;
import dev.herald.spi.SenderTransaction;
import dev.herald.spi.TaskClaimBatchParams;
import dev.herald.spi.TaskInsertManyParams;
import dev.herald.spi.TaskInsertManyResult;
import dev.herald.spi.TaskListRow;
import dev.herald.spi.TaskStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * {@code taskInsertMany} (through {@code senderTransaction}), promise 1, atomic enqueue: tasks
 * commit and roll back with the caller's transaction.
 */
public interface TaskInsertManyConformance extends Kit {

  @Test
  default void committedSendRunsEveryReceiver() {
    Recorder rec = new Recorder();
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    for (String r : List.of("a", "b")) {
      signal.connect(r, d -> Mono.fromRunnable(() -> rec.called(d)));
    }
    herald.start();

    fixture().inTransaction(signal.sendReliable(new Note("k1", 1))).block();

    eventually().until(() -> rec.calls().size() == 2);
    assertThat(rec.calls("a", "k1")).hasSize(1);
    assertThat(rec.calls("b", "k1")).hasSize(1);
    eventually().until(() -> fixture().tasks().collectList().block().isEmpty());
  }

  @Test
  default void rolledBackSendLeavesNoTaskAndRunsNothing() {
    Recorder rec = new Recorder();
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect("a", d -> Mono.fromRunnable(() -> rec.called(d)));
    herald.start();

    StepVerifier.create(
            fixture()
                .inTransaction(
                    signal
                        .sendReliable(new Note("rolled-back", 1))
                        .then(Mono.error(new IllegalStateException("business rule failed")))))
        .expectErrorMessage("business rule failed")
        .verify();
    fixture().inTransaction(signal.sendReliable(new Note("committed", 2))).block();

    eventually().until(() -> rec.calls("a", "committed").size() == 1);
    assertThat(rec.calls("a", "rolled-back")).isEmpty();
    assertThat(fixture().tasks().map(TaskListRow::payload).collectList().block())
        .noneMatch(p -> p.contains("rolled-back"));
  }

  @Test
  default void sendWithoutTransactionFailsAndWritesNothing() {
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect("a", d -> Mono.empty());

    StepVerifier.create(signal.sendReliable(new Note("k", 1)))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(NoTransactionException.class)
                    .hasMessageContaining(
                        "sendReliable(" + SIGNAL + ") needs the caller's transaction"))
        .verify();
    assertThat(fixture().tasks().collectList().block()).isEmpty();
  }

  @Test
  default void unencodablePayloadFailsAndWritesNothing() {
    Herald herald = fixture().herald();
    Signal<Exploding> signal = herald.signal("kit.exploding", Exploding.class);
    signal.connect("a", d -> Mono.empty());

    StepVerifier.create(fixture().inTransaction(signal.sendReliable(new Exploding())))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(PayloadEncodingException.class)
                    .hasMessageContaining("kit.exploding"))
        .verify();
    assertThat(fixture().tasks().collectList().block()).isEmpty();
  }

  @Test
  default void fanOutInsertsOneTaskPerReceiverInOneStatement() {
    List<TaskInsertManyParams> inserts = new CopyOnWriteArrayList<>();
    Herald herald =
        Herald.builder(KitStore.of(countingInserts(fixture().store(), inserts))).build();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    for (String r : List.of("a", "b", "c")) {
      signal.connect(r, d -> Mono.empty());
    }

    fixture().inTransaction(signal.sendReliable(new Note("fan", 3))).block();

    assertThat(inserts).hasSize(1);
    assertThat(inserts.get(0).receivers()).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(fixture().tasks().collectList().block())
        .extracting(TaskListRow::receiver)
        .containsExactlyInAnyOrder("a", "b", "c");
  }

  /** A payload whose encoding fails. */
  final class Exploding {
    /**
     * Fails.
     *
     * @return never
     */
    public String getValue() {
      throw new IllegalStateException("cannot serialize me");
    }
  }

  /** Wraps a store so that every taskInsertMany call is recorded. */
  private static TaskStore countingInserts(TaskStore store, List<TaskInsertManyParams> inserts) {
    return (TaskStore)
        Proxy.newProxyInstance(
            TaskStore.class.getClassLoader(),
            new Class<?>[] {TaskStore.class},
            (proxy, method, args) -> {
              Object result = invoke(method, store, args);
              if (method.getName().equals("senderTransaction")) {
                @SuppressWarnings("unchecked")
                Mono<SenderTransaction> tx = (Mono<SenderTransaction>) result;
                return tx.map(t -> recording(t, inserts));
              }
              return result;
            });
  }

  private static Object invoke(java.lang.reflect.Method m, Object target, Object[] args)
      throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static SenderTransaction recording(SenderTransaction t, List<TaskInsertManyParams> log) {
    return new SenderTransaction() {
      @Override
      public Mono<TaskInsertManyResult> taskInsertMany(TaskInsertManyParams params) {
        log.add(params);
        return t.taskInsertMany(params);
      }

      @Override
      public boolean afterCommit(Supplier<Mono<Void>> action) {
        return t.afterCommit(action);
      }
    };
  }

  @Test
  default void unstorablePayloadFailsBeforeAnySqlAndLeavesTheTransactionUsable() {
    Recorder rec = new Recorder();
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect("a", d -> Mono.fromRunnable(() -> rec.called(d)));
    herald.start();
    java.util.List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();

    fixture()
        .inTransaction(
            failed(signal.sendReliable(new Note("nul\u0000inside", 1)), errors)
                .then(failed(signal.sendReliable(new Note("lone \ud800 surrogate", 2)), errors))
                .then(
                    failed(
                        signal.sendReliable(
                            new Note("bad-header", 3), java.util.Map.of("trace", "a\u0000b")),
                        errors))
                .then(signal.sendReliable(new Note("committed", 4))))
        .block();

    assertThat(errors)
        .hasSize(3)
        .allSatisfy(
            e ->
                assertThat(e)
                    .isInstanceOf(dev.herald.PayloadEncodingException.class)
                    .hasMessageContaining(SIGNAL));
    assertThat(errors.get(0)).hasMessageContaining("NUL");
    assertThat(errors.get(2)).hasMessageContaining("header 'trace'");
    eventually().until(() -> rec.calls().size() == 1);
    assertThat(rec.calls()).extracting(Recorder.Call::key).containsExactly("committed");
  }

  private static Mono<Void> failed(Mono<Void> send, java.util.List<Throwable> errors) {
    return send.onErrorResume(
        e -> {
          errors.add(e);
          return Mono.empty();
        });
  }

  @Test
  default void hostileSignalAndReceiverNamesAreStoredAsDataAndDelivered() {
    String signalName = "x'); DROP TABLE herald_task; --";
    String receiverName = "r\"; DELETE FROM herald_task WHERE 'a'='a";
    List<String> seen = new CopyOnWriteArrayList<>();
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(signalName, Note.class);
    signal.connect(
        receiverName, d -> Mono.fromRunnable(() -> seen.add(d.signal() + "|" + d.receiver())));
    herald.start();

    fixture().inTransaction(signal.sendReliable(new Note("'quoted' \"payload\"; --", 1))).block();

    eventually().until(() -> seen.size() == 1);
    assertThat(seen).containsExactly(signalName + "|" + receiverName);
    // Acknowledged (deleted) in a batch shortly after the receiver completed.
    eventually().until(() -> fixture().tasks().collectList().block().isEmpty());
  }

  @Test
  default void aDelayedSendIsDeliveredNoEarlierThanItsDelayAndOnTimeByItsSendersTimer() {
    Recorder rec = new Recorder();
    // A 30 s poll: only the sender's own timer can deliver the delayed task within the wait.
    Herald herald = fixture().herald(o -> o.pollInterval(Duration.ofSeconds(30)));
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect("r", d -> Mono.fromRunnable(() -> rec.called(d)));
    herald.start();
    long sent = System.nanoTime();

    fixture()
        .inTransaction(
            signal.sendReliable(new Note("later", 1), SendOptions.delay(Duration.ofMillis(1500))))
        .block();
    fixture().inTransaction(signal.sendReliable(new Note("now", 2))).block();

    eventually().until(() -> rec.calls().size() == 1);
    assertThat(rec.calls().get(0).key()).as("the plain send does not wait").isEqualTo("now");
    eventually().atMost(Duration.ofSeconds(6)).until(() -> rec.calls().size() == 2);
    Recorder.Call later = rec.calls().get(1);
    assertThat(later.key()).isEqualTo("later");
    assertThat(Duration.ofNanos(later.atNanos() - sent))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1500));
  }

  @Test
  default void aSendNotBeforeAnInstantWaitsForItAndOneInThePastIsDueAtOnce() {
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect("r", d -> Mono.empty());
    Instant inAnHour = Instant.now().plus(Duration.ofHours(1));

    fixture()
        .inTransaction(
            signal
                .sendReliable(new Note("scheduled", 1), SendOptions.notBefore(inAnHour))
                .then(
                    signal.sendReliable(
                        new Note("overdue", 2),
                        SendOptions.notBefore(Instant.now().minus(Duration.ofHours(1))))))
        .block();

    List<TaskListRow> rows = fixture().tasks().collectList().block();
    assertThat(rows).hasSize(2);
    TaskListRow scheduled =
        rows.stream().filter(r -> r.payload().contains("scheduled")).findFirst().orElseThrow();
    TaskListRow overdue =
        rows.stream().filter(r -> r.payload().contains("overdue")).findFirst().orElseThrow();
    assertThat(Duration.between(inAnHour, scheduled.runAt()).abs())
        .isLessThan(Duration.ofSeconds(1));
    assertThat(overdue.runAt()).isBefore(Instant.now().plusSeconds(1));
    assertThat(
            fixture()
                .store()
                .taskClaimBatch(
                    new TaskClaimBatchParams(
                        "node-a", Duration.ofMinutes(1), List.of(new ClaimWant(SIGNAL, "r", 10))))
                .map(ClaimedTask::payload)
                .collectList()
                .block())
        .as("only the overdue one is due")
        .singleElement()
        .asString()
        .contains("overdue");
  }
}
