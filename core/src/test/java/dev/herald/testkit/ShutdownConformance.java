package dev.herald.testkit;

import static dev.herald.testkit.Kit.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.Signal;
import java.time.Duration;
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

  private static Mono<Void> sendAll(Signal<Note> signal, int n) {
    return Flux.range(0, n).concatMap(i -> signal.sendReliable(new Note("s" + i, i))).then();
  }
}
