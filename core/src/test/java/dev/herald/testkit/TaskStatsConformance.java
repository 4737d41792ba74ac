package dev.herald.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.BreakerState;
import dev.herald.Herald;
import dev.herald.ReceiverOptions;
import dev.herald.ReceiverStats;
import dev.herald.Signal;
import dev.herald.spi.ClaimWant;
import dev.herald.spi.ClaimedTask;
import dev.herald.spi.ReceiverKey;
import dev.herald.spi.ReceiverRegisterParams;
import dev.herald.spi.TaskRetryLaterParams;
import dev.herald.spi.TaskStatsParams;
import dev.herald.spi.TaskStatsRow;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;

/**
 * {@code taskStats}: per pair of the registry and of the params (each once, by signal and
 * receiver), the due unleased tasks with the oldest one's age, the leased ones among the oldest due
 * tasks, the scheduled and the dead ones; every count stops at the cap.
 */
public interface TaskStatsConformance extends OperationKit {

  /** A delay no test outlives: the task is scheduled, not due. */
  Duration LATER = Duration.ofHours(1);

  private List<TaskStatsRow> stats(int cap, ReceiverKey... pairs) {
    return ops()
        .taskStats(new TaskStatsParams(List.of(pairs), cap))
        .collectList()
        .block(Duration.ofSeconds(30));
  }

  private void retryLater(String owner, ClaimedTask t) {
    assertThat(
            ops()
                .taskRetryLater(
                    new TaskRetryLaterParams(owner, t.id(), t.attempt(), LATER, "later"))
                .block(Duration.ofSeconds(30)))
        .isTrue();
  }

  @Test
  default void countsEachPairByWhatItsTasksWaitFor() {
    insertDead("a", 2, "x");
    insert("a", 5);
    List<ClaimedTask> claimed = claim("node-a", "a", 3);
    retryLater("node-a", claimed.get(2));
    ops()
        .receiverRegister(
            new ReceiverRegisterParams(
                List.of(new ReceiverKey(SIGNAL, "idle"), new ReceiverKey(SIGNAL, "a")), "node-a"))
        .block(Duration.ofSeconds(30));

    List<TaskStatsRow> rows =
        stats(100, new ReceiverKey(SIGNAL, "a"), new ReceiverKey(SIGNAL, "passed"));

    assertThat(rows)
        .extracting(TaskStatsRow::receiver)
        .as("registered and passed pairs, each once, in order")
        .containsExactly("a", "idle", "passed");
    TaskStatsRow a = rows.get(0);
    assertThat(a.signal()).isEqualTo(SIGNAL);
    assertThat(a.ready()).as("due and unleased").isEqualTo(2);
    assertThat(a.due()).as("due, leased or not").isEqualTo(4);
    assertThat(a.running()).as("leased").isEqualTo(2);
    assertThat(a.scheduled()).as("retrying later").isEqualTo(1);
    assertThat(a.dead()).isEqualTo(2);
    assertThat(a.oldestReady()).isBetween(Duration.ZERO, Duration.ofMinutes(1));
    assertThat(rows.subList(1, 3))
        .allSatisfy(
            r ->
                assertThat(r)
                    .isEqualTo(new TaskStatsRow(SIGNAL, r.receiver(), 0, null, 0, 0, 0, 0)));
  }

  @Test
  default void everyCountStopsAtTheCap() {
    insertDead("a", 3, "x");
    insert("a", 8);
    List<ClaimedTask> claimed = claim("node-a", "a", 4);
    for (ClaimedTask t : claimed.subList(1, 4)) {
      retryLater("node-a", t);
    }

    TaskStatsRow a = stats(2, new ReceiverKey(SIGNAL, "a")).get(0);

    assertThat(a.ready()).isEqualTo(2);
    assertThat(a.dead()).isEqualTo(2);
    assertThat(a.scheduled()).isEqualTo(2);
    assertThat(a.due()).as("the window of the oldest due tasks is full").isEqualTo(2);
    assertThat(a.running()).as("the leased task is the oldest due one").isEqualTo(1);
    assertThat(stats(100, new ReceiverKey(SIGNAL, "a")).get(0))
        .extracting(
            TaskStatsRow::ready,
            TaskStatsRow::due,
            TaskStatsRow::running,
            TaskStatsRow::scheduled,
            TaskStatsRow::dead)
        .containsExactly(4L, 5L, 1L, 3L, 3L);
  }

  @Test
  default void aTaskWhoseLeaseLapsedIsReadyNotRunning() {
    insert("a", 1);
    assertThat(claim("node-a", Duration.ofMillis(1), new ClaimWant(SIGNAL, "a", 1))).hasSize(1);

    Kit.eventually()
        .untilAsserted(
            () -> {
              TaskStatsRow a = stats(100, new ReceiverKey(SIGNAL, "a")).get(0);
              assertThat(a.ready()).isEqualTo(1);
              assertThat(a.running()).isZero();
              assertThat(a.due()).isEqualTo(1);
            });
  }

  @Test
  default void heraldStatsJoinTheCountsWithWhatThisNodeHoldsAndItsBreaker() {
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    Sinks.Empty<Void> gate = Sinks.empty();
    signal.connect("slow", ReceiverOptions.builder().concurrency(1).build(), d -> gate.asMono());
    signal.declare("elsewhere");
    herald.start();
    sendCommitted(signal, 3);

    Kit.eventually()
        .untilAsserted(
            () -> {
              List<ReceiverStats> all = herald.stats().collectList().block(Duration.ofSeconds(30));
              assertThat(all)
                  .extracting(ReceiverStats::receiver)
                  .containsExactly("elsewhere", "slow");
              ReceiverStats slow = all.get(1);
              assertThat(slow.connected()).isTrue();
              assertThat(slow.runningHere()).isEqualTo(1);
              assertThat(slow.breaker()).isEqualTo(BreakerState.CLOSED);
              assertThat(slow.running()).as("leased: what this node holds").isEqualTo(slow.held());
              assertThat(slow.ready() + slow.running()).isEqualTo(3);
              assertThat(slow.readyCapped()).isFalse();
              ReceiverStats elsewhere = all.get(0);
              assertThat(elsewhere.connected()).isFalse();
              assertThat(elsewhere.held()).isZero();
              assertThat(elsewhere.breaker()).isNull();
              assertThat(elsewhere.ready()).isEqualTo(3);
              assertThat(elsewhere.oldestReady()).isPositive();
            });
    assertThat(herald.stats(1).filter(s -> s.receiver().equals("elsewhere")).blockFirst())
        .extracting(ReceiverStats::ready, ReceiverStats::readyCapped)
        .containsExactly(1L, true);
    Assertions.assertThatThrownBy(() -> herald.stats(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cap must be at least 1, but was 0");
    gate.tryEmitEmpty();
  }
}
