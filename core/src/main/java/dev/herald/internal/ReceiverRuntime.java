package dev.herald.internal;

import dev.herald.PermanentFailureException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** One route's live state on this node: its in-flight count and circuit breaker. */
final class ReceiverRuntime {

  final Route<?> route;
  final CircuitBreaker breaker;
  final AtomicInteger inFlight = new AtomicInteger();

  /** Slots promised to claims still running; they count as taken until the claim returns. */
  final AtomicInteger reserved = new AtomicInteger();

  /** Whether more tasks may be due: false after an empty claim, true again on any wakeup. */
  volatile boolean maybeMore = true;

  ReceiverRuntime(Route<?> route) {
    this.route = route;
    CircuitBreakerConfig given = route.options().circuitBreaker();
    Predicate<Throwable> ignored = given.getIgnoreExceptionPredicate();
    // Herald stops claiming while a breaker is open, so nothing would ever call it to move it to
    // half-open: the transition must be automatic. A permanent failure describes one task, not
    // the receiver's health, so it must not open the breaker.
    CircuitBreakerConfig config =
        CircuitBreakerConfig.from(given)
            .automaticTransitionFromOpenToHalfOpenEnabled(true)
            .slidingWindowSynchronizationStrategy(
                CircuitBreakerConfig.SlidingWindowSynchronizationStrategy.LOCK_FREE)
            .ignoreException(t -> t instanceof PermanentFailureException || ignored.test(t))
            .build();
    this.breaker = CircuitBreaker.of(route.signal() + "/" + route.receiverName(), config);
  }

  /** Slots this route may fill now: its concurrency, or the breaker's probe budget, or none. */
  int freeSlots() {
    int allowed =
        switch (breaker.getState()) {
          case OPEN, FORCED_OPEN -> 0;
          case HALF_OPEN ->
              Math.min(
                  route.options().concurrency(),
                  breaker.getCircuitBreakerConfig().getPermittedNumberOfCallsInHalfOpenState());
          default -> route.options().concurrency();
        };
    return allowed - inFlight.get() - reserved.get();
  }

  /**
   * Claiming one task at a time as single slots free up costs a round trip per task; waiting for a
   * quarter of the slots batches claims under load, while an idle route claims at once.
   */
  int minClaim() {
    return inFlight.get() + reserved.get() == 0
        ? 1
        : Math.max(1, route.options().concurrency() / 4);
  }
}
