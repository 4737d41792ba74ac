package dev.herald.testkit;

import static dev.herald.testkit.Kit.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.PermanentFailureException;
import dev.herald.ReceiverOptions;
import dev.herald.RetryPolicy;
import dev.herald.Signal;
import dev.herald.TaskInfo;
import dev.herald.spi.RotatedGeneration;
import dev.herald.spi.RotatedGeneration.Outcome;
import dev.herald.spi.TaskRotateParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Generations ({@code TaskStore#taskRotate}): the space of delivered tasks comes back, and no task
 * is lost or delivered twice for it. Stores without generations run the same scenarios and must
 * deliver the same way; only the truncations are theirs alone.
 */
public interface TaskRotateConformance extends Kit {

  /** One step of this test's own, retried while a node's rotator holds the step's lock. */
  private List<RotatedGeneration> rotate() {
    List<List<RotatedGeneration>> step = new ArrayList<>();
    eventually()
        .until(
            () -> {
              step.add(
                  fixture().store().taskRotate(new TaskRotateParams(10_000)).collectList().block());
              return !step.get(step.size() - 1).isEmpty();
            });
    return step.get(step.size() - 1);
  }

  /**
   * Waits until every generation but the current one is empty and truncated (by this test or by a
   * node's own rotator, which runs every few seconds).
   */
  private void untilAllTruncated() {
    eventually()
        .until(
            () ->
                rotate().stream()
                    .allMatch(
                        g -> g.outcome() == Outcome.CLEAN || g.outcome() == Outcome.TRUNCATED));
  }

  private static boolean truncated(List<RotatedGeneration> step) {
    return step.stream().anyMatch(g -> g.outcome() == Outcome.TRUNCATED);
  }

  @Test
  default void aDrainedGenerationIsTruncatedAndItsDeadLettersAndDelayedTasksMoveOut() {
    Recorder rec = new Recorder();
    Sinks.Empty<Void> release = Sinks.empty();
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect("fast", d -> Mono.fromRunnable(() -> rec.called(d)));
    signal.connect(
        "held",
        d -> {
          rec.called(d);
          return release.asMono();
        });
    // Fails once, then waits 4 s for its retry: not yet due while the generation turns.
    signal.connect(
        "later",
        ReceiverOptions.builder()
            .retryPolicy(
                RetryPolicy.builder()
                    .maxAttempts(2)
                    .initialDelay(Duration.ofSeconds(4))
                    .jitter(false)
                    .build())
            .build(),
        d -> {
          rec.called(d);
          return d.attempt() == 1 ? Mono.error(new IllegalStateException("not yet")) : Mono.empty();
        });
    signal.connect("doomed", d -> Mono.error(new PermanentFailureException("no such customer")));
    herald.start();

    // Generations turn on the server's clock; the test turns them itself.
    fixture().nextGeneration().block();
    sendCommitted(signal, 10);
    eventually()
        .until(
            () ->
                rec.calls("fast").size() == 10
                    && rec.calls("held").size() == 10
                    && rec.calls("later").size() == 10
                    && herald.deadLetters().list(100).collectList().block().size() == 10);
    fixture().nextGeneration().block();

    if (fixture().rotates()) {
      // The receivers of "held" still run: their generation waits for them.
      List<RotatedGeneration> step = rotate();
      assertThat(step).extracting(RotatedGeneration::outcome).contains(Outcome.BUSY);
      assertThat(truncated(step)).isFalse();
    }
    release.tryEmitEmpty();
    eventually()
        .until(
            () ->
                fixture().tasks().collectList().block().stream()
                    .noneMatch(t -> t.receiver().equals("held")));
    if (fixture().rotates()) {
      // Dead letters (and the delayed tasks, unless already due) moved out, then truncated.
      untilAllTruncated();
    }

    eventually().until(() -> rec.calls("later").size() == 20);
    List<TaskInfo> dead = herald.deadLetters().list(100).collectList().block();
    assertThat(dead).hasSize(10).allMatch(t -> t.lastError().contains("no such customer"));
    assertThat(rec.calls("later"))
        .extracting(Recorder.Call::attempt)
        .containsOnly(1, 2)
        .filteredOn(a -> a == 2)
        .hasSize(10);
    assertThat(rec.calls("fast")).hasSize(10);
    assertThat(rec.calls("held")).hasSize(10);
    eventually()
        .until(
            () ->
                fixture().tasks().collectList().block().stream()
                    .allMatch(t -> t.state().equals("dead")));
  }

  @Test
  default void aGenerationHoldingAnUncommittedSendIsNeverTruncated() throws Exception {
    Recorder rec = new Recorder();
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect("r", d -> Mono.fromRunnable(() -> rec.called(d)));
    herald.start();
    fixture().nextGeneration().block();

    CountDownLatch written = new CountDownLatch(1);
    Sinks.Empty<Void> commit = Sinks.empty();
    var open =
        fixture()
            .inTransaction(
                signal
                    .sendReliable(new Note("open", 0))
                    .doOnSuccess(v -> written.countDown())
                    .then(commit.asMono()))
            .toFuture();
    assertThat(written.await(30, TimeUnit.SECONDS)).isTrue();
    fixture().nextGeneration().block();

    if (fixture().rotates()) {
      // Its row is invisible to the checks, but its transaction holds the partition: the lock is
      // refused, nothing is truncated.
      List<RotatedGeneration> step = rotate();
      assertThat(step).extracting(RotatedGeneration::outcome).contains(Outcome.LOCKED);
      assertThat(truncated(step)).isFalse();
    }
    commit.tryEmitEmpty();
    Kit.join(open, "the open transaction");

    eventually().until(() -> rec.calls().size() == 1);
    if (fixture().rotates()) {
      untilAllTruncated();
    }
    assertThat(rec.calls()).extracting(Recorder.Call::key).containsExactly("open");
  }

  @Test
  default void twoNodesDeliverEveryTaskOnceWhileGenerationsTurnAndBothRotate() {
    Recorder rec = new Recorder();
    List<Signal<Note>> signals = new ArrayList<>();
    for (int node = 0; node < 2; node++) {
      Herald herald = fixture().herald();
      Signal<Note> signal = herald.signal(SIGNAL, Note.class);
      signal.connect("r", d -> Mono.fromRunnable(() -> rec.called(d)));
      signals.add(signal);
      herald.start();
    }
    Signal<Note> sender = signals.get(0);

    int rounds = 6;
    int perRound = 50;
    fixture().nextGeneration().block();
    for (int round = 0; round < rounds; round++) {
      int r = round;
      // Both nodes' steps at once while this round's sends commit.
      var steps =
          Flux.merge(
                  fixture().store().taskRotate(new TaskRotateParams(10)),
                  fixture().store().taskRotate(new TaskRotateParams(10)))
              .collectList()
              .toFuture();
      Flux.range(0, perRound / 10)
          .concatMap(
              batch ->
                  fixture()
                      .inTransaction(
                          Flux.range(0, 10)
                              .concatMap(
                                  i ->
                                      sender.sendReliable(
                                          new Note(r + "-" + (batch * 10 + i), batch * 10 + i)))
                              .then()))
          .blockLast(Duration.ofMinutes(1));
      Kit.join(steps, "two rotation steps");
      fixture().nextGeneration().block();
    }
    eventually().until(() -> rec.calls().size() >= rounds * perRound);
    if (fixture().rotates()) {
      // Seven generations written into a ring of four: every one but the current must come clean.
      untilAllTruncated();
    }

    assertThat(rec.calls()).hasSize(rounds * perRound);
    assertThat(rec.calls()).extracting(Recorder.Call::key).doesNotHaveDuplicates();
    eventually().until(() -> fixture().tasks().collectList().block().isEmpty());
  }
}
