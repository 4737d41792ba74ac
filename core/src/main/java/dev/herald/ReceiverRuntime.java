package dev.herald;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One route's live state on this node: what it holds, what runs, what waits for a slot, and its
 * circuit breaker.
 */
final class ReceiverRuntime {

  final Route<?> route;

  /** The route's circuit breaker, or null if its options turn it off. */
  final CircuitBreaker breaker;

  /** The route's rate limit on this node, or null if it has none. */
  final RateBudget rate;

  /** The route's batching, flushed after each pass that starts deliveries, or null. */
  final BatchingReceiver<?> batching;

  /** Tasks of this route held from their claim until their outcome is recorded. */
  final AtomicInteger held = new AtomicInteger();

  /** Held tasks whose receiver runs now; at most the route's concurrency. */
  final AtomicInteger running = new AtomicInteger();

  /** Slots promised to claims still in flight; they count as held until the claim returns. */
  final AtomicInteger reserved = new AtomicInteger();

  /**
   * Claimed tasks waiting for a free slot, oldest first. Bounded: only held tasks enter, and a
   * route holds at most {@code concurrency + prefetch}.
   */
  final Queue<Held> ready = new ConcurrentLinkedQueue<>();

  /**
   * The wakeup generation at which a claim for this route came back empty, or -1. The route is
   * worth claiming for only when a wakeup came since: a concurrent wakeup is counted, never
   * overwritten, so a claim planned before it cannot cancel it.
   */
  final AtomicLong emptyAt = new AtomicLong(-1);

  /**
   * Where this route's claims may start, or null: every task that is or will become claimable, and
   * that no claim of this node took, is due at or after it, but for the margin and the cases the
   * poll's sweep covers (see {@link Dispatcher#CLAIM_MARGIN}).
   */
  private volatile Instant position;

  /** Whether the next claim for this route walks from the oldest task (set by every poll). */
  private final AtomicBoolean sweep = new AtomicBoolean(true);

  ReceiverRuntime(Route<?> route) {
    this.route = route;
    this.breaker = breakerOf(route);
    ReceiverOptions o = route.options();
    this.rate = o.rateLimit() == 0 ? null : new RateBudget(o.rateLimit(), o.ratePeriod());
    this.batching = route.receiver() instanceof BatchingReceiver<?> b ? b : null;
  }

  /** The route's breaker, or null if it has none. */
  private static CircuitBreaker breakerOf(Route<?> route) {
    BreakerOptions options = route.options().breaker();
    if (!options.enabled()) {
      return null;
    }
    // Herald stops claiming while a breaker is open, so nothing would ever call it to move it to
    // half-open: the transition must be automatic. A failure that does not count is neither a
    // failure nor a success: it says nothing about the downstream.
    CircuitBreakerConfig config =
        CircuitBreakerConfig.custom()
            .slidingWindow(
                options.window(),
                options.minimumCalls(),
                CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .failureRateThreshold(options.failureRatePercent())
            .waitDurationInOpenState(options.openFor())
            .permittedNumberOfCallsInHalfOpenState(options.probes())
            .automaticTransitionFromOpenToHalfOpenEnabled(true)
            .slidingWindowSynchronizationStrategy(
                CircuitBreakerConfig.SlidingWindowSynchronizationStrategy.LOCK_FREE)
            .ignoreException(t -> !options.counts(t))
            .build();
    return CircuitBreaker.of(route.signal() + "/" + route.receiverName(), config);
  }

  /**
   * Tasks this route may still claim: up to {@code concurrency + prefetch} held in all, only the
   * breaker's probe budget while it is half-open, none while it is open.
   */
  int claimable() {
    if (breaker == null) {
      return route.options().concurrency()
          + route.options().prefetch()
          - held.get()
          - reserved.get();
    }
    int limit =
        switch (breaker.getState()) {
          case OPEN, FORCED_OPEN -> 0;
          case HALF_OPEN ->
              Math.min(
                  route.options().concurrency(),
                  breaker.getCircuitBreakerConfig().getPermittedNumberOfCallsInHalfOpenState());
          default -> route.options().concurrency() + route.options().prefetch();
        };
    return limit - held.get() - reserved.get();
  }

  /**
   * {@link #claimable()} within the rate limit's window at {@code nowNanos}: claims in flight count
   * against it until they return.
   */
  int claimableNow(long nowNanos) {
    int n = claimable();
    return rate == null ? n : Math.min(n, rate.available(nowNanos) - reserved.get());
  }

  /**
   * Claiming one task at a time as single slots free up costs a round trip per task; waiting for a
   * quarter of the route's room batches claims under load, while an idle route claims at once.
   */
  int minClaim() {
    int room = route.options().concurrency() + route.options().prefetch();
    return held.get() + reserved.get() == 0 ? 1 : Math.max(1, room / 4);
  }

  /** Whether a claim may find tasks: none came back empty since the last wakeup. */
  boolean maybeMore(long wakes) {
    return emptyAt.get() < wakes;
  }

  /**
   * Where the next claim starts: null (the oldest task) for a sweep or before any claim found a
   * task, else {@code margin} before the position. Taking the sweep is one-shot; {@link
   * #sweepNext()} asks for another.
   */
  Instant claimSince(Duration margin) {
    Instant p = position;
    if (sweep.getAndSet(false) || p == null) {
      return null;
    }
    return p.minus(margin);
  }

  /** The next claim for this route walks from the oldest task. */
  void sweepNext() {
    sweep.set(true);
  }

  /**
   * Moves the position after a claim that found {@code found} tasks for this route, of the {@code
   * limit} it asked for. A full claim took the oldest tasks at or after its start, so what it left
   * is due no earlier than the latest it found; a short one left nothing it could see. Either way,
   * what was not yet committed is due no earlier than {@code openSince}. Both bounds hold for any
   * claim's answer, so the last one to arrive may set the position, even with claims side by side.
   *
   * <p>A transaction open for longer than {@code horizon} (the poll interval) does not hold the
   * position back any further: every claim would otherwise walk the entries of every task delivered
   * since it began, and under load those claims fall behind. Its sends, if they land behind the
   * position, wait for the next poll's sweep instead.
   */
  void claimed(int found, int limit, Instant latestRunAt, Instant openSince, Duration horizon) {
    Instant bound = latestRunAt.minus(horizon);
    Instant oldestOpen = openSince.isBefore(bound) ? bound : openSince;
    position = found < limit || oldestOpen.isBefore(latestRunAt) ? oldestOpen : latestRunAt;
  }

  /** This node's breaker state for the route, or null without a breaker. */
  BreakerState breakerState() {
    return breaker == null ? null : Engine.state(breaker.getState());
  }

  String name() {
    return route.signal() + " -> " + route.receiverName();
  }
}
