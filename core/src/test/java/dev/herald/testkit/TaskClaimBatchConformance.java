package dev.herald.testkit;

import static dev.herald.testkit.Kit.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.Signal;
import dev.herald.spi.ClaimWant;
import dev.herald.spi.ClaimedTask;
import dev.herald.spi.TaskClaimBatchParams;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Claims start near where the last ones left off ({@code ClaimWant.since}: a second before the
 * latest due time claimed, or before the start of the oldest transaction still writing), so that
 * their cost does not grow with the delivered tasks ahead of them. Nothing is left behind: a send
 * that commits after the position passed its due time is delivered at once, and a row that becomes
 * claimable again behind it (an expired lease) is found by the sweep that every poll makes.
 */
public interface TaskClaimBatchConformance extends OperationKit {

  @Test
  default void claimsUpToEachWantsLimitLeasesThemAndCountsTheAttempt() {
    insert("a", 3);
    insert("b", 2);
    insert("c", 1);

    List<ClaimedTask> first =
        claim(
            "node-a",
            OperationKit.LONG_LEASE,
            new ClaimWant(SIGNAL, "a", 2),
            new ClaimWant(SIGNAL, "b", 5));

    assertThat(first).extracting(ClaimedTask::receiver).containsOnly("a", "b");
    assertThat(first.stream().filter(t -> t.receiver().equals("a"))).hasSize(2);
    assertThat(first.stream().filter(t -> t.receiver().equals("b"))).hasSize(2);
    assertThat(first)
        .allSatisfy(
            t -> {
              assertThat(t.signal()).isEqualTo(SIGNAL);
              assertThat(t.attempt()).isEqualTo(1);
              assertThat(t.payload()).contains("\"key\"");
              assertThat(t.runAt()).isNotNull();
              assertThat(t.createdAt()).isNotNull();
            });
    assertThat(fixture().leasedBy("node-a").block()).isEqualTo(4);

    List<ClaimedTask> second =
        claim(
            "node-b",
            OperationKit.LONG_LEASE,
            new ClaimWant(SIGNAL, "a", 5),
            new ClaimWant(SIGNAL, "b", 5));
    assertThat(second)
        .as("leased rows are skipped")
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.receiver()).isEqualTo("a");
              assertThat(first).extracting(ClaimedTask::id).doesNotContain(t.id());
            });
  }

  @Test
  default void claimsAfterTheFirstStartASecondBeforeTheirPosition() {
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
      // The position follows a claim's answer: its latest due time, or the start of the oldest
      // transaction still writing when it ran, if earlier; a claim starts a second before it.
      Instant position = w.want().since().plus(Duration.ofSeconds(1));
      assertThat(w.claimedBefore())
          .as("a position comes from a task claimed before")
          .anyMatch(t -> position.equals(t.runAt()) || position.equals(t.openSince()));
      assertThat(position)
          .as("never after the start of a transaction still writing")
          .isBeforeOrEqualTo(
              w.claimedBefore().stream()
                  .map(ClaimedTask::openSince)
                  .max(Comparator.naturalOrder())
                  .orElseThrow());
    }
  }

  @Test
  default void aSendCommittedLateBehindTheClaimPositionIsDeliveredAtOnce() {
    // The late send's row is written at once; it commits 2.5 s later, after a send committed
    // 1.5 s after it was claimed: without openSince the position would be past it by then.
    lateSendIsDeliveredAtOnce(late -> late.then(Mono.delay(Duration.ofMillis(2500))).then());
  }

  @Test
  default void aSendWrittenLateInALongTransactionIsDeliveredAtOnce() {
    // A transaction that only reads (here: waits) for 2 s before it sends, then commits 0.5 s
    // later; meanwhile a send commits and is claimed while the long one has written nothing.
    lateSendIsDeliveredAtOnce(
        late ->
            Mono.delay(Duration.ofMillis(2000))
                .then(late)
                .then(Mono.delay(Duration.ofMillis(500)))
                .then());
  }

  /**
   * Runs {@code transaction} around a send of "late" while, 1.5 s after it began, a send of "early"
   * commits and is delivered; "late" must then be delivered within 5 s although the poll, the only
   * sweep from the oldest task, is 30 s away.
   */
  private void lateSendIsDeliveredAtOnce(UnaryOperator<Mono<Void>> transaction) {
    Recorder rec = new Recorder();
    Herald herald = fixture().herald(o -> o.pollInterval(Duration.ofSeconds(30)));
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect("r", d -> Mono.fromRunnable(() -> rec.called(d)));
    herald.start();

    var late =
        fixture()
            .inTransaction(transaction.apply(signal.sendReliable(new Note("late", 0))))
            .toFuture();
    // Time must pass (more than the claim margin), not a condition: nothing to observe but clocks.
    Awaitility.await().pollDelay(Duration.ofMillis(1500)).until(() -> true);
    fixture().inTransaction(signal.sendReliable(new Note("early", 1))).block();
    eventually().until(() -> rec.calls().size() == 1);
    Kit.join(late, "the late transaction");

    eventually()
        .atMost(Duration.ofSeconds(5))
        .until(() -> rec.calls().stream().anyMatch(c -> c.key().equals("late")));
    assertThat(rec.calls()).extracting(Recorder.Call::key).containsExactly("early", "late");
  }

  @Test
  default void aTransactionOpenLongerThanThePollIntervalDoesNotHoldClaimsBack() {
    Recorder rec = new Recorder();
    ControlledStore store = new ControlledStore(fixture().store());
    Duration poll = Duration.ofMillis(500);
    Herald herald = fixture().herald(store, o -> o.pollInterval(poll));
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect("r", d -> Mono.fromRunnable(() -> rec.called(d)));
    herald.start();

    // Written at once, committed 3 s later: meanwhile five sends are claimed one by one.
    var open =
        fixture()
            .inTransaction(
                signal.sendReliable(new Note("open", 0)).then(Mono.delay(Duration.ofSeconds(3))))
            .toFuture();
    for (int i = 1; i <= 5; i++) {
      Awaitility.await().pollDelay(Duration.ofMillis(400)).until(() -> true);
      fixture().inTransaction(signal.sendReliable(new Note("n" + i, i))).block();
      int expected = i;
      eventually().until(() -> rec.calls().size() == expected);
    }
    Kit.join(open, "the open transaction");
    // Its send lies behind the position by now; the next poll's sweep finds it.
    eventually()
        .atMost(Duration.ofSeconds(5))
        .until(() -> rec.calls().stream().anyMatch(c -> c.key().equals("open")));

    boolean heldOpen =
        store.wants().stream()
            .flatMap(w -> w.claimedBefore().stream())
            .anyMatch(t -> t.openSince().isBefore(t.runAt().minus(poll)));
    Assumptions.assumeTrue(
        heldOpen, "this store writes rows at commit: no open transaction is ever reported");
    for (ControlledStore.SentWant w : store.wants()) {
      if (w.want().since() == null) {
        continue;
      }
      Instant latest =
          w.claimedBefore().stream()
              .map(ClaimedTask::runAt)
              .max(Comparator.naturalOrder())
              .orElseThrow();
      assertThat(w.want().since().plus(Duration.ofSeconds(1)))
          .as("a claim starts no further back than the poll interval before the latest claimed")
          .isAfterOrEqualTo(latest.minus(poll));
    }
  }

  @Test
  default void aTaskLeftBehindTheClaimPositionIsFoundByThePollsSweep() {
    Recorder rec = new Recorder();
    Signal<Note> sender = fixture().herald().signal(SIGNAL, Note.class);
    sender.connect("r", d -> Mono.error(new AssertionError("the sender never dispatches")));
    fixture().inTransaction(sender.sendReliable(new Note("left", 0))).block();
    // A node claims it with a 2 s lease and vanishes: the row becomes claimable again, long after
    // newer tasks moved the claim position past it.
    List<ClaimWant> wants = List.of(new ClaimWant(SIGNAL, "r", 10));
    assertThat(
            fixture()
                .store()
                .taskClaimBatch(new TaskClaimBatchParams("vanished", Duration.ofSeconds(2), wants))
                .collectList()
                .block())
        .hasSize(1);
    Awaitility.await().pollDelay(Duration.ofMillis(1200)).until(() -> true);

    Herald herald = fixture().herald(o -> o.pollInterval(Duration.ofMillis(300)));
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect("r", d -> Mono.fromRunnable(() -> rec.called(d)));
    herald.start();
    fixture().inTransaction(signal.sendReliable(new Note("newer", 1))).block();
    eventually().until(() -> rec.calls().size() == 1);

    eventually()
        .atMost(Duration.ofSeconds(5))
        .until(() -> rec.calls().stream().anyMatch(c -> c.key().equals("left")));
    assertThat(rec.calls()).extracting(Recorder.Call::key).containsExactly("newer", "left");
  }
}
