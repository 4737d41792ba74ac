package dev.herald.testkit;

import static dev.herald.testkit.Kit.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.BreakerOptions;
import dev.herald.BreakerState;
import dev.herald.Herald;
import dev.herald.HeraldEvent;
import dev.herald.ReceiverOptions;
import dev.herald.RetryPolicy;
import dev.herald.Signal;
import dev.herald.spi.TaskListRow;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Promise 4: an open breaker stops claims for its receiver only, and recovers by itself; only
 * failures that say the downstream is down open it, so tasks that fail and then succeed drain on
 * their backoff.
 */
public interface BreakerConformance extends Kit {

  @Test
  default void openBreakerStopsClaimingItsTasksWhileOthersFlowAndRecovers() {
    Recorder rec = new Recorder();
    AtomicBoolean broken = new AtomicBoolean(true);
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect(
        "fragile",
        ReceiverOptions.builder()
            .concurrency(2)
            .retryPolicy(
                RetryPolicy.builder()
                    .maxAttempts(1_000)
                    .initialDelay(Duration.ofMillis(20))
                    .maxDelay(Duration.ofMillis(20))
                    .jitter(false)
                    .build())
            .breaker(
                BreakerOptions.builder()
                    .window(4)
                    .minimumCalls(4)
                    .failureRatePercent(50)
                    .openFor(Duration.ofSeconds(4))
                    .probes(1)
                    .counting(DownstreamDown.class)
                    .build())
            .build(),
        d -> {
          rec.called(d);
          return broken.get() ? Mono.error(new DownstreamDown()) : Mono.empty();
        });
    signal.connect("sturdy", d -> Mono.fromRunnable(() -> rec.called(d)));
    Kit.Collected<HeraldEvent.BreakerStateChanged> transitions =
        Kit.collect(herald.events(), HeraldEvent.BreakerStateChanged.class, e -> true);
    herald.start();

    fixture().inTransaction(sendAll(signal, "a", 6)).block();
    eventually()
        .until(() -> transitions.events().stream().anyMatch(e -> e.to() == BreakerState.OPEN));
    // Tasks claimed before it opened are given back without counting; then nothing moves.
    eventually().until(() -> fixture().leasedBy(herald.nodeId()).block() == 0);
    int callsWhenOpen = rec.calls("fragile").size();
    int attemptsWhenOpen = fragileAttempts();

    fixture().inTransaction(sendAll(signal, "b", 6)).block();
    eventually().until(() -> rec.calls("sturdy").size() == 12);
    Awaitility.await()
        .during(Duration.ofMillis(800))
        .atMost(Duration.ofSeconds(2))
        .until(
            () ->
                rec.calls("fragile").size() == callsWhenOpen
                    && fragileAttempts() == attemptsWhenOpen);
    assertThat(transitions.events())
        .extracting(HeraldEvent.BreakerStateChanged::to)
        .last()
        .isEqualTo(BreakerState.OPEN);

    broken.set(false);
    eventually()
        .until(() -> transitions.events().stream().anyMatch(e -> e.to() == BreakerState.CLOSED));
    eventually().until(() -> fixture().tasks().collectList().block().isEmpty());
    assertThat(rec.calls("fragile").stream().map(Recorder.Call::key).distinct()).hasSize(12);
    transitions.subscription().dispose();
  }

  @Test
  default void failuresThatDoNotCountNeverOpenTheBreakerSoRetriesDrainOnTheirBackoff() {
    // The crm-sync: twenty tasks whose receiver fails twice, then succeeds. Under the
    // breaker that counted every failure, it flipped open and half-open for over a minute.
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    signal.connect(
        "crm-sync",
        ReceiverOptions.builder().retryPolicy(fastRetries()).build(),
        d ->
            calls.computeIfAbsent(d.payload().key(), k -> new AtomicInteger()).incrementAndGet()
                    <= 2
                ? Mono.error(new IllegalStateException("crm says: try again"))
                : Mono.empty());
    Kit.Collected<HeraldEvent.BreakerStateChanged> transitions =
        Kit.collect(herald.events(), HeraldEvent.BreakerStateChanged.class, e -> true);
    herald.start();

    fixture().inTransaction(sendAll(signal, "r", 20)).block();

    eventually()
        .until(
            () ->
                calls.size() == 20
                    && calls.values().stream().allMatch(c -> c.get() == 3)
                    && fixture().tasks().collectList().block().isEmpty());
    assertThat(transitions.events()).isEmpty();
    transitions.subscription().dispose();
  }

  @Test
  default void timeoutsOpenTheDefaultBreakerAndABreakerThatIsOffNeverOpens() {
    Herald herald = fixture().herald();
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    AtomicInteger down = new AtomicInteger();
    AtomicInteger unguarded = new AtomicInteger();
    ReceiverOptions.Builder hanging =
        ReceiverOptions.builder()
            .concurrency(4)
            .timeout(Duration.ofMillis(100))
            .retryPolicy(fastRetries());
    signal.connect(
        "down",
        hanging.build(),
        d -> Mono.<Void>never().doOnSubscribe(s -> down.incrementAndGet()));
    signal.connect(
        "unguarded",
        hanging.breaker(BreakerOptions.off()).build(),
        d -> Mono.<Void>never().doOnSubscribe(s -> unguarded.incrementAndGet()));
    Kit.Collected<HeraldEvent.BreakerStateChanged> transitions =
        Kit.collect(herald.events(), HeraldEvent.BreakerStateChanged.class, e -> true);
    herald.start();

    fixture().inTransaction(sendAll(signal, "t", 4)).block();

    // Ten time-outs fill the default breaker's minimum window, all of them failures.
    eventually()
        .until(
            () ->
                transitions.events().stream()
                    .anyMatch(e -> e.receiver().equals("down") && e.to() == BreakerState.OPEN));
    // Without a breaker, calls go on at the pace of the retries well past that many.
    eventually().until(() -> unguarded.get() >= 3 * down.get());
    assertThat(transitions.events()).allMatch(e -> e.receiver().equals("down"));
    transitions.subscription().dispose();
  }

  private static RetryPolicy fastRetries() {
    return RetryPolicy.builder()
        .maxAttempts(1_000)
        .initialDelay(Duration.ofMillis(20))
        .maxDelay(Duration.ofMillis(20))
        .jitter(false)
        .build();
  }

  /** A receiver's own way of saying its downstream is down. */
  final class DownstreamDown extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DownstreamDown() {
      super("down");
    }
  }

  private int fragileAttempts() {
    return fixture()
        .tasks()
        .filter(t -> t.receiver().equals("fragile"))
        .map(TaskListRow::attempt)
        .reduce(0, Integer::sum)
        .block();
  }

  private static Mono<Void> sendAll(Signal<Note> signal, String prefix, int n) {
    return Flux.range(0, n).concatMap(i -> signal.sendReliable(new Note(prefix + i, i))).then();
  }
}
