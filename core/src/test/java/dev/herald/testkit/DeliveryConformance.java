package dev.herald.testkit;

import static dev.herald.testkit.Kit.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.HeraldEvent;
import dev.herald.PermanentFailureException;
import dev.herald.ReceiverBacklog;
import dev.herald.ReceiverOptions;
import dev.herald.RetryPolicy;
import dev.herald.Signal;
import dev.herald.TaskInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Promises 2 and 7: delivery, retries, dead letters, redrive and bad input. */
public interface DeliveryConformance extends Kit {

  private static ReceiverOptions retrying(int maxAttempts, Duration initialDelay) {
    return ReceiverOptions.builder()
        .retryPolicy(
            RetryPolicy.builder()
                .maxAttempts(maxAttempts)
                .initialDelay(initialDelay)
                .jitter(false)
                .build())
        .build();
  }

  @Test
  default void failingReceiverDoesNotAffectItsSiblings() {
    Recorder rec = new Recorder();
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect("ok-1", d -> Mono.fromRunnable(() -> rec.called(d)));
    signal.connect(
        "failing",
        ReceiverOptions.builder().retryPolicy(RetryPolicy.noRetry()).build(),
        d -> {
          rec.called(d);
          throw new IllegalStateException("receiver broke");
        });
    signal.connect("ok-2", d -> Mono.fromRunnable(() -> rec.called(d)));
    herald.start();

    fixture().inTransaction(signal.sendReliable(new Note("k", 1))).block();

    eventually().until(() -> rec.calls("ok-1").size() == 1 && rec.calls("ok-2").size() == 1);
    eventually()
        .until(
            () ->
                herald.deadLetters().list(10).collectList().block().stream()
                    .anyMatch(t -> t.receiver().equals("failing")));
    TaskInfo dead = herald.deadLetters().list(10).blockFirst();
    assertThat(dead.lastError()).contains("receiver broke");
    assertThat(dead.attempt()).isEqualTo(1);
  }

  @Test
  default void failuresAreRetriedWithGrowingDelaysThenDeadLetteredWithTheLastError() {
    Recorder rec = new Recorder();
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect(
        "flaky",
        retrying(3, Duration.ofMillis(200)),
        d -> {
          rec.called(d);
          return Mono.error(new IllegalStateException("attempt " + d.attempt() + " failed"));
        });
    Kit.Collected<HeraldEvent.Retried> retried =
        Kit.collect(herald.events(), HeraldEvent.Retried.class, e -> true);
    herald.start();

    fixture().inTransaction(signal.sendReliable(new Note("k", 1))).block();

    eventually().until(() -> herald.deadLetters().list(10).collectList().block().size() == 1);
    TaskInfo dead = herald.deadLetters().list(10).blockFirst();
    assertThat(dead.attempt()).isEqualTo(3);
    assertThat(dead.lastError()).contains("gave up after 3 attempts").contains("attempt 3 failed");
    List<Recorder.Call> calls = rec.calls("flaky");
    assertThat(calls).extracting(Recorder.Call::attempt).containsExactly(1, 2, 3);
    long first = calls.get(1).atNanos() - calls.get(0).atNanos();
    long second = calls.get(2).atNanos() - calls.get(1).atNanos();
    // Stores keep due times to the millisecond (the in-memory store truncates its clock), so a
    // retry may become due up to a millisecond before its exact delay has passed.
    Duration resolution = Duration.ofMillis(1);
    assertThat(Duration.ofNanos(first))
        .isGreaterThanOrEqualTo(Duration.ofMillis(200).minus(resolution));
    assertThat(Duration.ofNanos(second))
        .isGreaterThanOrEqualTo(Duration.ofMillis(400).minus(resolution));
    assertThat(retried.events())
        .extracting(HeraldEvent.Retried::delay)
        .containsExactly(Duration.ofMillis(200), Duration.ofMillis(400));
    retried.subscription().dispose();
  }

  @Test
  default void permanentFailureIsDeadLetteredAtOnce() {
    Recorder rec = new Recorder();
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect(
        "strict",
        retrying(5, Duration.ofMillis(10)),
        d -> {
          rec.called(d);
          return Mono.error(new PermanentFailureException("card number is invalid"));
        });
    herald.start();

    fixture().inTransaction(signal.sendReliable(new Note("k", 1))).block();

    eventually().until(() -> herald.deadLetters().list(10).collectList().block().size() == 1);
    TaskInfo dead = herald.deadLetters().list(10).blockFirst();
    assertThat(dead.attempt()).isEqualTo(1);
    assertThat(dead.lastError()).contains("permanent failure").contains("card number is invalid");
    assertThat(rec.calls("strict")).hasSize(1);
  }

  @Test
  default void requeuedDeadTaskIsDeliveredAndPurgeDeletesDeadTasks() {
    Recorder rec = new Recorder();
    AtomicBoolean healthy = new AtomicBoolean(false);
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect(
        "downstream",
        ReceiverOptions.builder().retryPolicy(RetryPolicy.noRetry()).build(),
        d -> {
          rec.called(d);
          return healthy.get() ? Mono.empty() : Mono.error(new IllegalStateException("down"));
        });
    herald.start();
    fixture()
        .inTransaction(
            signal
                .sendReliable(new Note("redrive", 1))
                .then(signal.sendReliable(new Note("purge", 2))))
        .block();
    eventually().until(() -> herald.deadLetters().list(10).collectList().block().size() == 2);
    List<TaskInfo> dead = herald.deadLetters().list(10).collectList().block();
    TaskInfo redrive = dead.stream().filter(t -> t.payload().contains("redrive")).findFirst().get();
    TaskInfo purge = dead.stream().filter(t -> t.payload().contains("purge")).findFirst().get();

    assertThat(herald.deadLetters().purge(purge.id()).block()).isEqualTo(1);
    healthy.set(true);
    assertThat(herald.deadLetters().requeue(redrive.id()).block()).isEqualTo(1);

    eventually().until(() -> rec.calls("downstream", "redrive").size() == 2);
    assertThat(rec.calls("downstream", "redrive").get(1).attempt()).isEqualTo(1);
    eventually().until(() -> fixture().tasks().collectList().block().isEmpty());
  }

  @Test
  default void undecodablePayloadIsDeadLetteredWithTheReasonAndNoCall() {
    Recorder rec = new Recorder();
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect("reader", d -> Mono.fromRunnable(() -> rec.called(d)));
    herald.start();

    fixture().insertRaw(SIGNAL, "reader", "[1, 2, 3]").block();

    eventually().until(() -> herald.deadLetters().list(10).collectList().block().size() == 1);
    TaskInfo dead = herald.deadLetters().list(10).blockFirst();
    assertThat(dead.lastError()).startsWith("undecodable payload");
    assertThat(dead.attempt()).isEqualTo(1);
    assertThat(rec.calls()).isEmpty();
  }

  @Test
  default void tasksOfUnknownReceiversWaitAreCountedListedAndCanBeDeadLettered() {
    Recorder rec = new Recorder();
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect("known", d -> Mono.fromRunnable(() -> rec.called(d)));
    herald.start();

    fixture().insertRaw(SIGNAL, "retired", "{\"key\":\"orphan\",\"n\":1}").block();
    fixture().inTransaction(signal.sendReliable(new Note("marker", 2))).block();
    eventually().until(() -> rec.calls("known", "marker").size() == 1);

    // The known task counts as ready (leased) until its outcome is written, after the call.
    eventually()
        .untilAsserted(
            () ->
                assertThat(herald.backlog().collectList().block())
                    .containsExactly(new ReceiverBacklog(SIGNAL, "retired", 1, false)));
    List<TaskInfo> waiting = herald.readyTasks(SIGNAL, "retired", 0, 10).collectList().block();
    assertThat(waiting).hasSize(1);
    assertThat(waiting.get(0).state()).isEqualTo("ready");
    assertThat(waiting.get(0).attempt()).isZero();

    assertThat(herald.deadLetterReady(SIGNAL, "retired").block()).isEqualTo(1);
    TaskInfo dead = herald.deadLetters().list(10).blockFirst();
    assertThat(dead.receiver()).isEqualTo("retired");
    assertThat(dead.lastError()).contains("no running node knows receiver 'retired'");
    assertThat(herald.deadLetterReady(SIGNAL, "known").onErrorResume(e -> Mono.just(-1L)).block())
        .as("a receiver connected here is delivered, not dead-lettered")
        .isEqualTo(-1L);
    assertThat(herald.backlog().collectList().block()).isEmpty();
  }
}
