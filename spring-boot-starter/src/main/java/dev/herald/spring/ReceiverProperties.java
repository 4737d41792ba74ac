package dev.herald.spring;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The options of one receiver ({@link dev.herald.ReceiverOptions}) as properties: under {@code
 * herald.receiver-defaults.*} for every receiver the starter connects, and under {@code
 * herald.receivers.<signal>.<receiver>.*} for one of them (for example {@code
 * herald.receivers.payment.completed.crm-sync.concurrency=4}), where each property set overrides
 * the default. An unset option keeps Herald's default, which each description names. Immutable.
 *
 * @param concurrency Deliveries of the receiver that one dispatcher runs at once. Defaults to 16;
 *     at least 1.
 * @param prefetch Tasks one dispatcher may hold beyond those running. Defaults to the concurrency;
 *     at least 0.
 * @param timeout Time limit of one attempt. Defaults to 30s; positive.
 * @param retry When a failed attempt is tried again, and when the task is dead-lettered.
 * @param breaker The receiver's circuit breaker.
 * @param rateLimit How fast one node starts the receiver's tasks; off unless both tasks and period
 *     are set.
 * @param fleetConcurrency Deliveries of the receiver running at once across every node on the task
 *     table. Unset, the default, there is no fleet-wide limit; at least 1.
 * @param deadLetterBlocksKey Whether a dead-lettered task keeps blocking the later tasks of its
 *     ordering key until it is requeued and succeeds, or purged. Defaults to false.
 */
public record ReceiverProperties(
    Integer concurrency,
    Integer prefetch,
    Duration timeout,
    @DefaultValue Retry retry,
    @DefaultValue Breaker breaker,
    @DefaultValue RateLimit rateLimit,
    Integer fleetConcurrency,
    Boolean deadLetterBlocksKey) {

  /**
   * These properties over others: each option set here wins, each one unset is taken from {@code
   * defaults}.
   *
   * @param defaults the options to fall back on
   * @return the merged properties
   */
  public ReceiverProperties over(ReceiverProperties defaults) {
    return new ReceiverProperties(
        or(concurrency, defaults.concurrency),
        or(prefetch, defaults.prefetch),
        or(timeout, defaults.timeout),
        retry.over(defaults.retry),
        breaker.over(defaults.breaker),
        rateLimit.over(defaults.rateLimit),
        or(fleetConcurrency, defaults.fleetConcurrency),
        or(deadLetterBlocksKey, defaults.deadLetterBlocksKey));
  }

  /**
   * The retry policy ({@link dev.herald.RetryPolicy}): the delay before attempt n + 1 is drawn from
   * [0, min(max-delay, initial-delay * multiplier^(n-1))] (full jitter).
   *
   * @param maxAttempts Attempts allowed in total, the first included. Defaults to 10; at least 1.
   * @param initialDelay Cap of the first retry's delay. Defaults to 1s; positive.
   * @param maxDelay Upper bound of every delay; not shorter than initial-delay. Defaults to 5m.
   * @param multiplier Growth factor of the cap between attempts. Defaults to 2; at least 1.
   * @param jitter Whether delays are drawn uniformly from [0, cap]. Defaults to true.
   */
  public record Retry(
      Integer maxAttempts,
      Duration initialDelay,
      Duration maxDelay,
      Double multiplier,
      Boolean jitter) {

    Retry over(Retry d) {
      return new Retry(
          or(maxAttempts, d.maxAttempts),
          or(initialDelay, d.initialDelay),
          or(maxDelay, d.maxDelay),
          or(multiplier, d.multiplier),
          or(jitter, d.jitter));
    }
  }

  /**
   * The circuit breaker ({@link dev.herald.BreakerOptions}). Only failures that say the downstream
   * is down count against it: time-outs, IOExceptions and the types named in counting.
   *
   * @param enabled Whether the receiver has a breaker at all; false turns it off and ignores the
   *     other breaker properties. Defaults to true.
   * @param window How many of the latest calls the failure rate is measured over. Defaults to 20;
   *     at least 1.
   * @param minimumCalls How many calls the window must hold before the breaker can open. Defaults
   *     to 10; from 1 to the window.
   * @param failureRatePercent Rate of counted failures, in percent, at which the breaker opens.
   *     Defaults to 50; from 1 to 100.
   * @param openFor How long the breaker stays open before it half-opens. Defaults to 10s; positive.
   * @param probes How many probe calls a half-open breaker lets through. Defaults to 2; at least 1.
   * @param counting Exception types (fully qualified class names) that count against the breaker
   *     besides time-outs and IOExceptions, anywhere in a failure's cause chain.
   */
  public record Breaker(
      Boolean enabled,
      Integer window,
      Integer minimumCalls,
      Integer failureRatePercent,
      Duration openFor,
      Integer probes,
      List<Class<? extends Throwable>> counting) {

    Breaker over(Breaker d) {
      return new Breaker(
          or(enabled, d.enabled),
          or(window, d.window),
          or(minimumCalls, d.minimumCalls),
          or(failureRatePercent, d.failureRatePercent),
          or(openFor, d.openFor),
          or(probes, d.probes),
          or(counting, d.counting));
    }
  }

  /**
   * A per-node rate limit: at most tasks claimed in each period (fixed windows). Tasks over the
   * limit wait in the table, unclaimed, so no attempt is spent because of it.
   *
   * @param tasks Tasks one node claims per period; at least 1. Set together with period: a
   *     receiver's pair replaces the default pair as a whole.
   * @param period The window of the rate limit; positive. Set together with tasks.
   */
  public record RateLimit(Integer tasks, Duration period) {

    RateLimit over(RateLimit d) {
      return tasks == null && period == null ? d : this;
    }
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
