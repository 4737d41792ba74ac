package dev.herald.testkit;

import static dev.herald.testkit.Kit.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.HeraldEvent;
import dev.herald.ReceiverOptions;
import dev.herald.RetryPolicy;
import dev.herald.Signal;
import dev.herald.spi.TaskListRow;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Promise 4: an open breaker stops claims for its receiver only, and recovers by itself. */
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
            .circuitBreaker(
                CircuitBreakerConfig.custom()
                    .slidingWindow(4, 4, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                    .failureRateThreshold(50)
                    .waitDurationInOpenState(Duration.ofSeconds(4))
                    .permittedNumberOfCallsInHalfOpenState(1)
                    .build())
            .build(),
        d -> {
          rec.called(d);
          return broken.get() ? Mono.error(new IllegalStateException("down")) : Mono.empty();
        });
    signal.connect("sturdy", d -> Mono.fromRunnable(() -> rec.called(d)));
    Kit.Collected<HeraldEvent.BreakerStateChanged> transitions =
        Kit.collect(herald.events(), HeraldEvent.BreakerStateChanged.class, e -> true);
    herald.start();

    fixture().inTransaction(sendAll(signal, "a", 6)).block();
    eventually()
        .until(
            () -> transitions.events().stream().anyMatch(e -> e.to() == CircuitBreaker.State.OPEN));
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
        .isEqualTo(CircuitBreaker.State.OPEN);

    broken.set(false);
    eventually()
        .until(
            () ->
                transitions.events().stream().anyMatch(e -> e.to() == CircuitBreaker.State.CLOSED));
    eventually().until(() -> fixture().tasks().collectList().block().isEmpty());
    assertThat(rec.calls("fragile").stream().map(Recorder.Call::key).distinct()).hasSize(12);
    transitions.subscription().dispose();
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
