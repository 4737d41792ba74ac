package dev.herald.testkit;

import static dev.herald.testkit.Kit.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.HeraldEvent;
import dev.herald.Signal;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Graceful shutdown: finish what runs, release what cannot finish, hold nothing. */
public interface ShutdownConformance extends Kit {

  @Test
  default void closeFinishesInFlightDeliveriesAndLeavesNothingLeased() {
    Recorder started = new Recorder();
    Recorder finished = new Recorder();
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect(
        "slow",
        d ->
            Mono.delay(Duration.ofMillis(500))
                .doOnSubscribe(s -> started.called(d))
                .doOnNext(x -> finished.called(d))
                .then());
    herald.start();
    fixture().inTransaction(sendAll(signal, 8)).block();
    eventually().until(() -> started.calls().size() == 8);

    StepVerifier.create(herald.close()).expectComplete().verify(Duration.ofSeconds(10));

    assertThat(finished.calls()).hasSize(8);
    assertThat(fixture().leasedBy(herald.nodeId()).block()).isZero();
    assertThat(fixture().tasks().collectList().block()).isEmpty();
  }

  @Test
  default void closeReleasesTasksThatCannotFinishWithinTheGracePeriod() {
    Recorder rescued = new Recorder();
    Herald stuck =
        fixture()
            .herald(o -> o.lease(Duration.ofSeconds(60)).shutdownGrace(Duration.ofMillis(300)));
    Signal<Note> signal = stuck.signal(SIGNAL, Note.class);
    signal.connect("hangs", d -> Mono.never());
    stuck.start();
    fixture().inTransaction(sendAll(signal, 3)).block();
    eventually().until(() -> fixture().leasedBy(stuck.nodeId()).block() == 3);

    StepVerifier.create(stuck.close()).expectComplete().verify(Duration.ofSeconds(10));
    assertThat(fixture().leasedBy(stuck.nodeId()).block()).isZero();

    // Released, not left to the 60 s lease: another node takes them at once.
    Herald next = fixture().herald();
    next.signal(SIGNAL, Note.class)
        .connect("hangs", d -> Mono.fromRunnable(() -> rescued.called(d)));
    next.start();
    eventually().atMost(Duration.ofSeconds(10)).until(() -> rescued.calls().size() == 3);
  }

  @Test
  default void tasksCancelledAtShutdownAreReleasedWithTheirAttemptCounted() {
    Herald stuck =
        fixture()
            .herald(o -> o.lease(Duration.ofSeconds(60)).shutdownGrace(Duration.ofMillis(300)));
    Signal<Note> signal = stuck.signal(SIGNAL, Note.class);
    signal.connect("hangs", d -> Mono.never());
    Kit.Collected<HeraldEvent.Released> released =
        Kit.collect(stuck.events(), HeraldEvent.Released.class, e -> true);
    stuck.start();
    fixture().inTransaction(sendAll(signal, 2)).block();
    eventually().until(() -> fixture().leasedBy(stuck.nodeId()).block() == 2);

    StepVerifier.create(stuck.close()).expectComplete().verify(Duration.ofSeconds(10));

    eventually().until(() -> released.events().size() == 2);
    assertThat(released.events()).allSatisfy(e -> assertThat(e.reason()).contains("cancelled"));
    assertThat(fixture().tasks().collectList().block())
        .allSatisfy(t -> assertThat(t.attempt()).isEqualTo(1));
    released.subscription().dispose();
  }

  @Test
  default void closeWithALeaseShorterThanTheGraceNeverYieldsASecondAttemptElsewhere() {
    Recorder rec = new Recorder();
    Herald a =
        fixture().herald(o -> o.lease(Duration.ofSeconds(1)).shutdownGrace(Duration.ofSeconds(8)));
    Signal<Note> signal = a.signal(SIGNAL, Note.class);
    signal.connect(
        "slow",
        d ->
            Mono.fromRunnable(() -> rec.called(d))
                .then(Mono.delay(Duration.ofMillis(2500)))
                .then());
    a.start();
    fixture().inTransaction(signal.sendReliable(new Note("once", 1))).block();
    eventually().until(() -> rec.calls().size() == 1);
    Herald b = fixture().herald(o -> o.lease(Duration.ofSeconds(1)));
    b.signal(SIGNAL, Note.class).connect("slow", d -> Mono.fromRunnable(() -> rec.called(d)));
    b.start();

    // Close waits out the 2.5 s receiver, more than twice the lease: extension must go on.
    StepVerifier.create(a.close()).expectComplete().verify(Duration.ofSeconds(15));

    assertThat(fixture().tasks().collectList().block()).isEmpty();
    assertThat(rec.calls()).hasSize(1);
  }

  @Test
  default void aClaimHeldBackPastTheGraceIsReleasedNotDispatched() {
    ControlledStore held = new ControlledStore(fixture().store());
    Recorder rec = new Recorder();
    // A long lease: the store-call timeout (half of it) must not abandon the held claim during the
    // test's waits, which is another scenario
    // (claimsWhoseAnswerNeverArrivedAreReleasedByOwnerAtClose).
    Herald a =
        fixture()
            .herald(
                held, o -> o.shutdownGrace(Duration.ofMillis(300)).lease(Duration.ofSeconds(30)));
    Signal<Note> signal = a.signal(SIGNAL, Note.class);
    signal.connect("r", d -> Mono.fromRunnable(() -> rec.called(d)));
    Kit.Collected<HeraldEvent.Released> released =
        Kit.collect(a.events(), HeraldEvent.Released.class, e -> true);
    Kit.Collected<HeraldEvent.StoreCallTimedOut> timeouts =
        Kit.collect(a.events(), HeraldEvent.StoreCallTimedOut.class, e -> true);
    AtomicBoolean closed = new AtomicBoolean();
    // A wait that times out says which one and where everything stood.
    Supplier<String> state =
        () ->
            "claims sent "
                + held.wants().size()
                + ", answered "
                + held.claimsAnswered()
                + ", held "
                + held.claimsHeld()
                + ", tasks claimed "
                + held.tasksClaimed()
                + ", leased "
                + fixture().leasedBy(a.nodeId()).block(Duration.ofSeconds(5))
                + ", closed "
                + closed.get()
                + ", released "
                + released.events()
                + ", store calls timed out "
                + timeouts.events();
    held.holdClaims();
    // Sent before the start, so that one claim takes all three: a claim that runs across the
    // sender's commit may find rows it sees but that were written after its now() (their run_at is
    // the write's clock_timestamp()), take only the first, and keep the route's room reserved
    // while it is held, so the others would wait for it.
    fixture().inTransaction(sendAll(signal, 3)).block();
    a.start();
    until("3 rows leased", state, () -> fixture().leasedBy(a.nodeId()).block() == 3);
    until("a claim held", state, () -> held.claimsHeld() > 0);

    a.close().subscribe(null, e -> {}, () -> closed.set(true));
    // The grace runs out while the claim is held back: close must wait for the claim's answer.
    Awaitility.await()
        .during(Duration.ofMillis(600))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !closed.get());
    held.openClaims();
    until("closed", state, closed::get);

    assertThat(rec.calls()).isEmpty();
    assertThat(fixture().leasedBy(a.nodeId()).block()).isZero();
    until("3 released", state, () -> released.events().size() == 3);
    assertThat(fixture().tasks().collectList().block())
        .hasSize(3)
        .allSatisfy(t -> assertThat(t.attempt()).isZero());
    timeouts.subscription().dispose();
    released.subscription().dispose();
  }

  @Test
  default void claimsWhoseAnswerNeverArrivedAreReleasedByOwnerAtClose() {
    ControlledStore slow = new ControlledStore(fixture().store());
    Herald a = fixture().herald(slow, o -> o.storeTimeout(Duration.ofMillis(300)));
    Signal<Note> signal = a.signal(SIGNAL, Note.class);
    signal.connect("r", d -> Mono.empty());
    Kit.Collected<HeraldEvent.StoreCallTimedOut> timeouts =
        Kit.collect(a.events(), HeraldEvent.StoreCallTimedOut.class, e -> true);
    a.start();
    slow.delayClaims(Duration.ofSeconds(2));
    fixture().inTransaction(sendAll(signal, 3)).block();
    eventually().until(() -> fixture().leasedBy(a.nodeId()).block() == 3);
    eventually().until(() -> !timeouts.events().isEmpty());
    assertThat(timeouts.events().get(0).operation()).isEqualTo("taskClaimBatch");

    StepVerifier.create(a.close()).expectComplete().verify(Duration.ofSeconds(10));

    assertThat(fixture().leasedBy(a.nodeId()).block()).isZero();
    timeouts.subscription().dispose();
  }

  private static void until(String what, Supplier<String> state, Callable<Boolean> condition) {
    try {
      eventually().until(condition);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("waited 30 s for " + what + "; " + state.get(), e);
    }
  }

  private static Mono<Void> sendAll(Signal<Note> signal, int n) {
    return Flux.range(0, n).concatMap(i -> signal.sendReliable(new Note("s" + i, i))).then();
  }
}
