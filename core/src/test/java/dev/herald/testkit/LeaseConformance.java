package dev.herald.testkit;

import static dev.herald.testkit.Kit.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.HeraldInternals;
import dev.herald.ReceiverOptions;
import dev.herald.Signal;
import dev.herald.spi.ClaimWant;
import dev.herald.spi.ClaimedTask;
import dev.herald.spi.TaskClaimBatchParams;
import dev.herald.spi.TaskCompleteManyParams;
import dev.herald.spi.TaskDeadLetterParams;
import dev.herald.spi.TaskExtendLeaseParams;
import dev.herald.spi.TaskReleaseParams;
import dev.herald.spi.TaskRetryLaterParams;
import dev.herald.spi.TaskStore;
import dev.herald.spi.TaskTokens;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Promise 2 under crashes: leases, rescue, heartbeat extension and fencing. */
public interface LeaseConformance extends Kit {

  @Test
  default void crashedDispatchersTasksAreDeliveredByAnotherAfterTheLease() {
    Recorder crashed = new Recorder();
    Recorder survivor = new Recorder();
    Herald a = fixture().herald(o -> o.lease(Duration.ofSeconds(2)));
    Signal<Note> sa = a.signal(SIGNAL, Note.class);
    sa.connect("work", d -> Mono.<Void>never().doOnSubscribe(s -> crashed.called(d)));
    a.start();
    fixture()
        .inTransaction(
            reactor.core.publisher.Flux.range(0, 5)
                .concatMap(i -> sa.sendReliable(new Note("t" + i, i)))
                .then())
        .block();
    eventually().until(() -> crashed.calls().size() == 5);

    HeraldInternals.crash(a);
    long crashedAt = System.nanoTime();
    Herald b = fixture().herald();
    b.signal(SIGNAL, Note.class).connect("work", d -> Mono.fromRunnable(() -> survivor.called(d)));
    b.start();

    eventually().until(() -> survivor.calls().size() == 5);
    assertThat(survivor.calls()).allSatisfy(c -> assertThat(c.attempt()).isEqualTo(2));
    long firstRescue =
        survivor.calls().stream().mapToLong(Recorder.Call::atNanos).min().getAsLong();
    // Rescued only once the crashed node's lease ran out (claimed ~now, 2 s lease).
    assertThat(Duration.ofNanos(firstRescue - crashedAt)).isGreaterThan(Duration.ofMillis(1000));
    eventually().until(() -> fixture().tasks().collectList().block().isEmpty());
  }

  @Test
  default void aLiveLongRunningTaskIsNeverDeliveredTwice() {
    Recorder rec = new Recorder();
    ReceiverOptions slow = ReceiverOptions.builder().timeout(Duration.ofSeconds(20)).build();
    for (int i = 0; i < 2; i++) {
      Herald h = fixture().herald(o -> o.lease(Duration.ofSeconds(1)));
      h.signal(SIGNAL, Note.class)
          .connect(
              "long",
              slow,
              d -> Mono.delay(Duration.ofMillis(3500)).doOnSubscribe(s -> rec.called(d)).then());
      h.start();
    }
    Herald sender = fixture().herald();
    Signal<Note> signal = sender.signal(SIGNAL, Note.class);
    signal.connect("long", d -> Mono.never());

    fixture().inTransaction(signal.sendReliable(new Note("long-task", 1))).block();

    eventually()
        .until(() -> fixture().tasks().collectList().block().isEmpty() && !rec.calls().isEmpty());
    assertThat(rec.calls()).hasSize(1);
  }

  @Test
  default void aStaleOwnerCannotCompleteRetryReleaseOrExtendANewerAttempt() {
    TaskStore store = fixture().store();
    fixture().insertRaw(SIGNAL, "r", "{\"key\":\"fenced\",\"n\":1}").block();
    List<ClaimWant> wants = List.of(new ClaimWant(SIGNAL, "r", 10));
    ClaimedTask first =
        store
            .taskClaimBatch(new TaskClaimBatchParams("node-a", Duration.ofMillis(300), wants))
            .blockFirst();
    assertThat(first.attempt()).isEqualTo(1);

    AtomicReference<ClaimedTask> second = new AtomicReference<>();
    eventually()
        .until(
            () -> {
              second.set(
                  store
                      .taskClaimBatch(
                          new TaskClaimBatchParams("node-b", Duration.ofSeconds(30), wants))
                      .blockFirst());
              return second.get() != null;
            });
    assertThat(second.get().id()).isEqualTo(first.id());
    assertThat(second.get().attempt()).isEqualTo(2);

    TaskTokens stale = new TaskTokens("node-a", new long[] {first.id()}, new int[] {1});
    assertThat(store.taskCompleteMany(new TaskCompleteManyParams(stale)).collectList().block())
        .isEmpty();
    assertThat(
            store
                .taskRetryLater(
                    new TaskRetryLaterParams("node-a", first.id(), 1, Duration.ZERO, "x"))
                .block())
        .isFalse();
    assertThat(store.taskDeadLetter(new TaskDeadLetterParams("node-a", first.id(), 1, "x")).block())
        .isFalse();
    assertThat(store.taskRelease(new TaskReleaseParams(stale, true)).collectList().block())
        .isEmpty();
    assertThat(
            store
                .taskExtendLease(new TaskExtendLeaseParams(stale, Duration.ofSeconds(30)))
                .collectList()
                .block())
        .isEmpty();
    assertThat(fixture().leasedBy("node-b").block()).isEqualTo(1);

    TaskTokens current = new TaskTokens("node-b", new long[] {first.id()}, new int[] {2});
    assertThat(store.taskCompleteMany(new TaskCompleteManyParams(current)).collectList().block())
        .containsExactly(first.id());
    assertThat(fixture().tasks().collectList().block()).isEmpty();
  }
}
