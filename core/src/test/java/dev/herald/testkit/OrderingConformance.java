package dev.herald.testkit;

import static dev.herald.testkit.Kit.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.PermanentFailureException;
import dev.herald.ReceiverOptions;
import dev.herald.SendOptions;
import dev.herald.Signal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Ordering keys (the claim's ordering check): the tasks of one receiver that share a signal and an
 * ordering key run one at a time, in the order of their sends when the sends of a key are
 * serialized; a failing head holds its key back and other keys flow on; a dead letter releases its
 * key or, when the receiver says so, keeps holding it.
 */
public interface OrderingConformance extends Kit {

  private void sendOrdered(Signal<Note> signal, String key, int n) {
    fixture()
        .inTransaction(signal.sendReliable(new Note(key, n), SendOptions.orderingKey(key)))
        .block();
  }

  @Test
  default void aDeliveryCarriesItsOrderingKeyOrNull() {
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    Map<Integer, String> keys = new ConcurrentHashMap<>();
    signal.connect(
        "keyed",
        d -> Mono.fromRunnable(() -> keys.put(d.payload().n(), String.valueOf(d.orderingKey()))));
    herald.start();
    sendOrdered(signal, "order-7", 1);
    fixture().inTransaction(signal.sendReliable(new Note("none", 2))).block();

    eventually().until(() -> keys.size() == 2);
    assertThat(keys).containsEntry(1, "order-7").containsEntry(2, "null");
  }

  /**
   * 200 keys × 50 tasks, sent round by round (every key's task n commits before any key's n + 1 is
   * written: the sends of each key are serialized), drained by three dispatchers of eight slots
   * each. The receiver asserts, per key, that no two tasks run at once and that each task's number
   * is exactly one more than the last one that ran; it sleeps a random 0-2 ms to shuffle timing.
   */
  @Test
  default void tasksOfOneKeyRunOneAtATimeInSendOrderAcrossThreeDispatchers() {
    int keys = 200;
    int perKey = 50;
    Map<String, AtomicBoolean> running = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> last = new ConcurrentHashMap<>();
    List<String> violations = new CopyOnWriteArrayList<>();
    AtomicInteger done = new AtomicInteger();
    Signal<Note> sender = null;
    for (int node = 0; node < 3; node++) {
      Herald herald = fixture().herald();
      Signal<Note> signal = herald.signal(SIGNAL, Note.class);
      signal.connect(
          "ordered",
          ReceiverOptions.builder().concurrency(8).breaker(dev.herald.BreakerOptions.off()).build(),
          d -> {
            String key = d.payload().key();
            if (!running
                .computeIfAbsent(key, k -> new AtomicBoolean())
                .compareAndSet(false, true)) {
              violations.add(key + ": task " + d.payload().n() + " ran beside another");
            }
            int previous = last.computeIfAbsent(key, k -> new AtomicInteger(-1)).get();
            if (d.payload().n() != previous + 1) {
              violations.add(key + ": task " + d.payload().n() + " ran after " + previous);
            }
            last.get(key).set(d.payload().n());
            // Marked done before the completion travels on: the next task may start right after.
            return Mono.delay(Duration.ofMillis(ThreadLocalRandom.current().nextInt(3)))
                .then(
                    Mono.fromRunnable(
                        () -> {
                          running.get(key).set(false);
                          done.incrementAndGet();
                        }));
          });
      herald.start();
      sender = signal;
    }
    Signal<Note> signal = sender;
    Flux.range(0, perKey)
        .concatMap(
            n ->
                fixture()
                    .inTransaction(
                        Flux.range(0, keys)
                            .concatMap(
                                k ->
                                    signal.sendReliable(
                                        new Note("key-" + k, n),
                                        SendOptions.orderingKey("key-" + k)))
                            .then()))
        .blockLast(Duration.ofMinutes(2));

    eventually().atMost(Duration.ofMinutes(3)).until(() -> done.get() >= keys * perKey);
    assertThat(violations).isEmpty();
    assertThat(last).hasSize(keys);
    assertThat(last.values()).allMatch(n -> n.get() == perKey - 1);
    assertThat(done.get()).isEqualTo(keys * perKey);
  }

  @Test
  default void aFailingHeadHoldsItsKeyBackWhileOtherKeysFlow() {
    Recorder rec = new Recorder();
    AtomicBoolean healthy = new AtomicBoolean();
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect(
        "r",
        ReceiverOptions.builder()
            .breaker(dev.herald.BreakerOptions.off())
            .retryPolicy(Kit.retryEvery(Duration.ofMillis(100), 100))
            .build(),
        d -> {
          rec.called(d);
          return d.payload().key().equals("stuck") && d.payload().n() == 0 && !healthy.get()
              ? Mono.error(new IllegalStateException("downstream refused"))
              : Mono.empty();
        });
    herald.start();

    sendOrdered(signal, "stuck", 0);
    sendOrdered(signal, "stuck", 1);
    sendOrdered(signal, "free", 0);
    sendOrdered(signal, "free", 1);

    eventually().until(() -> rec.calls("r", "free").size() == 2);
    eventually().until(() -> rec.calls("r", "stuck").size() >= 3);
    assertThat(rec.calls("r", "stuck"))
        .as("only the failing head runs, again and again")
        .allMatch(c -> c.attempt() >= 1)
        .extracting(Recorder.Call::taskId)
        .containsOnly(rec.calls("r", "stuck").get(0).taskId());

    healthy.set(true);
    long head = rec.calls("r", "stuck").get(0).taskId();
    eventually().until(() -> rec.calls("r", "stuck").stream().anyMatch(c -> c.taskId() != head));
    List<Recorder.Call> stuck = rec.calls("r", "stuck");
    int follower = 0;
    while (stuck.get(follower).taskId() == head) {
      follower++;
    }
    assertThat(stuck.subList(follower, stuck.size()))
        .as("the follower ran only after its head's last attempt")
        .allMatch(c -> c.taskId() != head);
  }

  @Test
  default void aDeadLetterReleasesItsKeyByDefault() {
    Recorder rec = new Recorder();
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect("r", d -> failFirst(rec, d.payload(), d));
    herald.start();

    sendOrdered(signal, "k", 0);
    sendOrdered(signal, "k", 1);

    eventually().until(() -> rec.calls("r", "k").size() == 2);
    assertThat(herald.deadLetters().list(10).collectList().block()).hasSize(1);
  }

  @Test
  default void aDeadLetterKeepsItsKeyWhenTheReceiverSaysSoUntilRequeuedAndDelivered() {
    Recorder rec = new Recorder();
    AtomicBoolean fixed = new AtomicBoolean();
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect(
        "r",
        ReceiverOptions.builder().deadLetterBlocksKey(true).build(),
        d -> fixed.get() ? Mono.fromRunnable(() -> rec.called(d)) : failFirst(rec, d.payload(), d));
    herald.start();

    sendOrdered(signal, "k", 0);
    sendOrdered(signal, "k", 1);
    sendOrdered(signal, "other", 1);
    eventually().until(() -> herald.deadLetters().list(10).collectList().block().size() == 1);
    eventually().until(() -> rec.calls("r", "other").size() == 1);
    // Time must pass, not a condition: the follower must not run while its head is dead.
    org.awaitility.Awaitility.await().pollDelay(Duration.ofMillis(800)).until(() -> true);
    assertThat(rec.calls("r", "k")).hasSize(1);

    fixed.set(true);
    assertThat(herald.deadLetters().requeueAll(SIGNAL, "r").block()).isEqualTo(1);
    eventually().until(() -> rec.calls("r", "k").size() == 3);
    List<Recorder.Call> k = rec.calls("r", "k");
    assertThat(k.get(1).taskId()).as("the requeued head ran first").isEqualTo(k.get(0).taskId());
    assertThat(k.get(2).taskId()).as("then its follower").isNotEqualTo(k.get(0).taskId());
  }

  /** Task 0 of a key fails permanently; the others succeed. */
  private static Mono<Void> failFirst(Recorder rec, Note note, dev.herald.Delivery<Note> d) {
    rec.called(d);
    return note.n() == 0
        ? Mono.error(new PermanentFailureException("task 0 of " + note.key() + " is refused"))
        : Mono.empty();
  }
}
