package dev.herald.testkit;

import static dev.herald.testkit.Kit.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.Signal;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Claims start near where the last ones left off ({@code ClaimWant.since}: a second before the
 * latest due time claimed), so that their cost does not grow with the delivered tasks ahead of
 * them; every poll sweeps from the oldest task, so that nothing left behind that position is lost.
 */
public interface ClaimPositionConformance extends Kit {

  @Test
  default void claimsAfterTheFirstStartASecondBeforeTheLatestTaskClaimed() {
    Recorder rec = new Recorder();
    ControlledStore store = new ControlledStore(fixture().store());
    Herald herald = fixture().herald(store, o -> o.pollInterval(Duration.ofSeconds(30)));
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect("r", d -> Mono.fromRunnable(() -> rec.called(d)));
    herald.start();

    for (int i = 0; i < 5; i++) {
      fixture().inTransaction(signal.sendReliable(new Note("p" + i, i))).block();
      int expected = i + 1;
      eventually().until(() -> rec.calls().size() == expected);
    }

    List<ControlledStore.SentWant> positioned =
        store.wants().stream().filter(w -> w.want().since() != null).toList();
    assertThat(positioned).as("claims after the first carry a position").isNotEmpty();
    for (ControlledStore.SentWant w : positioned) {
      assertThat(w.claimedBefore())
          .as("a position is a second before the latest task claimed before it")
          .contains(w.want().since().plus(Duration.ofSeconds(1)));
      assertThat(w.claimedBefore().stream().max(Comparator.naturalOrder()).orElseThrow())
          .isEqualTo(w.want().since().plus(Duration.ofSeconds(1)));
    }
  }

  @Test
  default void aSendCommittedLateBehindTheClaimPositionIsFoundByThePoll() {
    Recorder rec = new Recorder();
    Herald herald = fixture().herald(o -> o.pollInterval(Duration.ofMillis(300)));
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect("r", d -> Mono.fromRunnable(() -> rec.called(d)));
    herald.start();

    // The late send's row is due from its transaction's start; it commits 2.5 s later, after a
    // send committed 1.5 s after that start was claimed: the claim position is past it by then.
    Mono<Void> late =
        fixture()
            .inTransaction(
                signal.sendReliable(new Note("late", 0)).then(Mono.delay(Duration.ofMillis(2500))))
            .then();
    var lateDone = late.toFuture();
    // Time must pass (more than the claim margin), not a condition: nothing to observe but clocks.
    Awaitility.await().pollDelay(Duration.ofMillis(1500)).until(() -> true);
    fixture().inTransaction(signal.sendReliable(new Note("early", 1))).block();
    eventually().until(() -> rec.calls().size() == 1);
    lateDone.join();

    eventually()
        .atMost(Duration.ofSeconds(5))
        .until(() -> rec.calls().stream().anyMatch(c -> c.key().equals("late")));
    assertThat(rec.calls()).extracting(Recorder.Call::key).containsExactly("early", "late");
  }
}
