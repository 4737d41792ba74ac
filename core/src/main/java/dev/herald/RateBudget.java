package dev.herald;

import java.time.Duration;

/**
 * A receiver's rate limit on one node: at most {@code limit} tasks claimed in each {@code period}
 * (fixed windows of the engine's clock, as Resilience4j's rate limiter counts). Claims ask for no
 * more than what is left, and a task counts once claimed, in the window its claim returned in: a
 * task never claimed costs nothing, and no attempt is ever spent on the limit. Thread-safe.
 */
final class RateBudget {

  private final int limit;
  private final long periodNanos;
  private long window = Long.MIN_VALUE;
  private int used;

  RateBudget(int limit, Duration period) {
    this.limit = limit;
    this.periodNanos = period.toNanos();
  }

  /** Tasks that may still be claimed in the window of {@code nowNanos}. */
  synchronized int available(long nowNanos) {
    roll(nowNanos);
    return limit - used;
  }

  /** Counts tasks a claim returned. */
  synchronized void consume(long nowNanos, int claimed) {
    roll(nowNanos);
    used += claimed;
  }

  /** How long until the next window opens. */
  synchronized Duration untilNextWindow(long nowNanos) {
    long w = Math.floorDiv(nowNanos, periodNanos);
    return Duration.ofNanos((w + 1) * periodNanos - nowNanos);
  }

  private void roll(long nowNanos) {
    long w = Math.floorDiv(nowNanos, periodNanos);
    if (w != window) {
      window = w;
      used = 0;
    }
  }
}
