package dev.herald.testkit;

import static dev.herald.testkit.Kit.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.HeraldEvent;
import dev.herald.ReceiverOptions;
import dev.herald.Signal;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * Promise 3 under pressure: a dispatcher holds a task from its claim until its outcome is recorded,
 * never more than {@code maxInFlight}, and records outcomes for as long as its lease lasts.
 */
public interface HoldingsConformance extends Kit {

  @Test
  default void slowAcknowledgementsNeverLetHeldTasksExceedMaxInFlight() {
    ControlledStore slow =
        new ControlledStore(fixture().store()).delayCompletes(Duration.ofMillis(200));
    Herald herald = fixture().herald(slow, o -> o.maxInFlight(16));
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    AtomicInteger delivered = new AtomicInteger();
    signal.connect(
        "fast",
        ReceiverOptions.builder().concurrency(16).prefetch(64).build(),
        d -> Mono.fromRunnable(delivered::incrementAndGet));
    herald.start();

    sendCommitted(signal, 300);

    eventually().atMost(Duration.ofMinutes(2)).until(() -> delivered.get() == 300);
    eventually().until(() -> fixture().tasks().collectList().block().isEmpty());
    assertThat(slow.maxOutstanding()).isBetween(1, 16);
  }

  @Test
  default void whileBehindTwoClaimsTravelAtOnceAndNoStatementCarriesMoreThanHalfTheWindow() {
    ControlledStore held = new ControlledStore(fixture().store());
    // Completion batches may be larger than the window: the window's half bounds them.
    Herald herald = fixture().herald(held, o -> o.maxInFlight(16).completionBatch(512));
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    AtomicInteger delivered = new AtomicInteger();
    // A route with more room than the node's window, as a fast receiver tuned for throughput has.
    signal.connect(
        "fast",
        ReceiverOptions.builder().concurrency(64).prefetch(64).build(),
        d -> Mono.fromRunnable(delivered::incrementAndGet));
    sendCommitted(signal, 100);
    held.holdClaims();
    herald.start();

    // A claim that reserved the whole window would leave no room for the second.
    eventually().until(() -> held.claimsHeld() == 2);
    assertThat(held.wants()).allSatisfy(w -> assertThat(w.want().limit()).isBetween(1, 8));
    held.openClaims();

    eventually().until(() -> delivered.get() == 100);
    eventually().until(() -> fixture().tasks().collectList().block().isEmpty());
    assertThat(held.maxOutstanding()).isBetween(1, 16);
    assertThat(held.largestComplete()).isBetween(1, 8);
  }

  @Test
  default void anAcknowledgementBlipIsRetriedWhileTheLeaseLastsAndNothingRunsTwice() {
    ControlledStore flaky = new ControlledStore(fixture().store()).failCompletes(true);
    Herald herald = fixture().herald(flaky, o -> o.lease(Duration.ofSeconds(3)));
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    Recorder rec = new Recorder();
    signal.connect("r", d -> Mono.fromRunnable(() -> rec.called(d)));
    Collected<HeraldEvent> events = Kit.collect(herald.events(), HeraldEvent.class, e -> true);
    herald.start();

    sendCommitted(signal, 5);
    eventually().until(() -> rec.calls().size() == 5);
    // Several acknowledgements failed (backoff 50, 100, 200 ms...): more than the old give-up.
    eventually().until(() -> flaky.completeFailures() >= 5);
    flaky.failCompletes(false);

    eventually().until(() -> fixture().tasks().collectList().block().isEmpty());
    eventually()
        .until(
            () ->
                events.events().stream().filter(e -> e instanceof HeraldEvent.Delivered).count()
                    == 5);
    assertThat(rec.calls()).hasSize(5).allSatisfy(c -> assertThat(c.attempt()).isEqualTo(1));
    assertThat(events.events()).noneMatch(e -> e instanceof HeraldEvent.LeaseLost);
    events.subscription().dispose();
  }

  @Test
  default void aFencedOutAcknowledgementEmitsLeaseLostAndNoDelivered() {
    ControlledStore stuck = new ControlledStore(fixture().store()).failExtends(true);
    // A holds at most the stuck task, so only B can claim it again.
    Herald a = fixture().herald(stuck, o -> o.lease(Duration.ofSeconds(1)).maxInFlight(1));
    Sinks.Empty<Void> letGo = Sinks.empty();
    Recorder rec = new Recorder();
    Signal<Note> sa = a.signal(SIGNAL, Note.class);
    sa.connect(
        "r",
        ReceiverOptions.builder().timeout(Duration.ofSeconds(30)).build(),
        d -> Mono.fromRunnable(() -> rec.called(d)).then(letGo.asMono()));
    Collected<HeraldEvent> eventsOfA = Kit.collect(a.events(), HeraldEvent.class, e -> true);
    a.start();
    fixture().inTransaction(sa.sendReliable(new Note("fenced", 1))).block();
    eventually().until(() -> rec.calls().size() == 1);

    // A cannot extend its lease: after it runs out, B claims the task again and delivers it.
    Herald b = fixture().herald();
    b.signal(SIGNAL, Note.class).connect("r", d -> Mono.fromRunnable(() -> rec.called(d)));
    b.start();
    eventually().until(() -> fixture().tasks().collectList().block().isEmpty());
    assertThat(rec.calls()).extracting(Recorder.Call::attempt).containsExactly(1, 2);

    letGo.tryEmitEmpty();
    eventually()
        .until(() -> eventsOfA.events().stream().anyMatch(e -> e instanceof HeraldEvent.LeaseLost));
    assertThat(eventsOfA.events()).noneMatch(e -> e instanceof HeraldEvent.Delivered);
    eventsOfA.subscription().dispose();
  }

  @Test
  default void aTaskReclaimedByTheSameNodeIsHeldOnceForEachAttemptAndCloseCompletes() {
    ControlledStore stuck = new ControlledStore(fixture().store()).failExtends(true);
    Herald a = fixture().herald(stuck, o -> o.lease(Duration.ofSeconds(1)));
    Sinks.Empty<Void> letFirstGo = Sinks.empty();
    Recorder rec = new Recorder();
    a.signal(SIGNAL, Note.class)
        .connect(
            "r",
            d ->
                Mono.fromRunnable(() -> rec.called(d))
                    .then(d.attempt() == 1 ? letFirstGo.asMono() : Mono.empty()));
    a.start();
    fixture()
        .inTransaction(a.signal(SIGNAL, Note.class).sendReliable(new Note("again", 1)))
        .block();

    // Attempt 1 hangs and its lease cannot be extended: the same node claims attempt 2.
    eventually().until(() -> rec.calls().size() == 2);
    eventually().until(() -> fixture().tasks().collectList().block().isEmpty());
    letFirstGo.tryEmitEmpty();

    StepVerifier.create(a.close()).expectComplete().verify(Duration.ofSeconds(15));
    assertThat(rec.calls()).extracting(Recorder.Call::attempt).containsExactly(1, 2);
  }
}
