package dev.herald.testkit;

import static dev.herald.testkit.Kit.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.ReceiverOptions;
import dev.herald.Signal;
import dev.herald.spi.ClaimWant;
import dev.herald.spi.ClaimedTask;
import dev.herald.spi.TaskClaimBatchParams;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Rate limits per node and fleet-wide concurrency limits, both enforced when claiming: tasks over a
 * limit stay unclaimed, so no attempt is spent on a limit.
 */
public interface LimitsConformance extends Kit {

  @Test
  default void aRateLimitSpreadsClaimsOverItsWindowsWithoutSpendingAttempts() {
    Recorder rec = new Recorder();
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect(
        "r",
        ReceiverOptions.builder().rateLimit(5, Duration.ofMillis(400)).build(),
        d -> Mono.fromRunnable(() -> rec.called(d)));
    sendCommitted(signal, 15);
    herald.start();

    eventually().until(() -> rec.calls("r").size() == 15);
    List<Recorder.Call> calls = rec.calls("r");
    assertThat(calls).allMatch(c -> c.attempt() == 1);
    // 15 tasks at 5 per window need three windows: the last starts two windows after the first.
    long spreadMillis = (calls.get(14).atNanos() - calls.get(0).atNanos()) / 1_000_000;
    assertThat(spreadMillis).isGreaterThanOrEqualTo(400);
  }

  @Test
  default void aFleetWideLimitHoldsAcrossThreeDispatchers() {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    Signal<Note> sender = null;
    for (int node = 0; node < 3; node++) {
      Herald herald = fixture().herald();
      Signal<Note> signal = herald.signal(SIGNAL, Note.class);
      signal.connect(
          "partner",
          ReceiverOptions.builder().concurrency(8).fleetConcurrency(2).build(),
          d -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            // Counted down before the completion travels on: the next task may start right after.
            return Mono.delay(Duration.ofMillis(20))
                .then(
                    Mono.fromRunnable(
                        () -> {
                          running.decrementAndGet();
                          done.incrementAndGet();
                        }));
          });
      herald.start();
      sender = signal;
    }
    sendCommitted(sender, 40);

    eventually().until(() -> done.get() == 40);
    assertThat(most.get()).isBetween(1, 2);
    eventually().until(() -> fixture().tasks().collectList().block().isEmpty());
  }

  @Test
  default void aCrashedNodesTasksCountAgainstTheFleetLimitUntilTheirLeasesLapse() {
    Recorder rec = new Recorder();
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect(
        "partner",
        ReceiverOptions.builder().fleetConcurrency(2).build(),
        d -> Mono.fromRunnable(() -> rec.called(d)));
    sendCommitted(signal, 6);
    // A node that claims two tasks under the limit, then dies: it never extends or completes them.
    List<ClaimedTask> lost =
        fixture()
            .store()
            .taskClaimBatch(
                new TaskClaimBatchParams(
                    "crashed-node",
                    Duration.ofMillis(1500),
                    List.of(new ClaimWant(SIGNAL, "partner", 10, null, false, 2))))
            .collectList()
            .block();
    assertThat(lost).as("the limit capped the crashed node's claim too").hasSize(2);
    herald.start();

    // Time must pass, not a condition: nothing may run while the two leases hold the limit.
    Awaitility.await().pollDelay(Duration.ofMillis(700)).until(() -> true);
    assertThat(rec.calls("partner")).isEmpty();

    eventually().until(() -> rec.calls("partner").size() == 6);
    assertThat(rec.calls("partner"))
        .filteredOn(c -> lost.stream().anyMatch(t -> t.id() == c.taskId()))
        .as("the crashed node's tasks ran again once their leases lapsed")
        .hasSize(2)
        .allMatch(c -> c.attempt() == 2);
  }
}
