package dev.herald.spring;

import dev.herald.BreakerOptions;
import dev.herald.HeraldOptions;
import dev.herald.ReceiverOptions;
import dev.herald.RetryPolicy;
import dev.herald.spi.SqlStoreBuilder;
import java.util.function.Consumer;

/**
 * Turns properties into Herald's options through Herald's own builders, so that every rule (and
 * every message) is Herald's. A value a builder refuses is reported under its property's path and
 * left out, so one pass reports every invalid value; cross-field rules that a builder checks in
 * {@code build()} are reported under the property a user would change.
 */
final class OptionsMapping {

  private OptionsMapping() {}

  /**
   * The engine's options.
   *
   * @return the options (with refused values left at their defaults)
   */
  static HeraldOptions engine(HeraldProperties p, Problems problems) {
    HeraldOptions.Builder b = HeraldOptions.builder();
    set(problems, "max-in-flight", p.maxInFlight(), b::maxInFlight);
    set(problems, "poll-interval", p.pollInterval(), b::pollInterval);
    set(problems, "lease", p.lease(), b::lease);
    set(problems, "notify-mode", p.notifyMode(), b::notifyMode);
    set(problems, "notify-window", p.notifyWindow(), b::notifyWindow);
    set(problems, "shutdown-grace", p.shutdownGrace(), b::shutdownGrace);
    set(problems, "completion-batch", p.completionBatch(), b::completionBatch);
    set(problems, "completion-delay", p.completionDelay(), b::completionDelay);
    set(problems, "store-timeout", p.storeTimeout(), b::storeTimeout);
    set(problems, "node-id", p.nodeId(), b::nodeId);
    set(problems, "retention", p.retention(), b::retention);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      // The one cross-field rule: the store timeout against the lease.
      problems.reject("store-timeout", e.getMessage());
      return HeraldOptions.builder().build();
    }
  }

  /**
   * Applies the store's options to an adapter's builder (or to a builder that only checks them).
   *
   * @return the builder
   */
  static <B extends SqlStoreBuilder<B>> B store(
      HeraldProperties.Store p, Problems problems, B builder) {
    set(problems, "table-name", p.tableName(), builder::tableName);
    set(problems, "listen", p.listen(), builder::listen);
    set(problems, "listener-heartbeat", p.listenerHeartbeat(), builder::listenerHeartbeat);
    return builder;
  }

  /** Checks the store's options without a connection factory. */
  static void store(HeraldProperties.Store p, Problems problems) {
    store(p, problems, new Check());
  }

  /**
   * A receiver's options.
   *
   * @return the options (with refused values left at their defaults)
   */
  static ReceiverOptions receiver(ReceiverProperties p, Problems problems) {
    ReceiverOptions.Builder b = ReceiverOptions.builder();
    set(problems, "concurrency", p.concurrency(), b::concurrency);
    set(problems, "prefetch", p.prefetch(), b::prefetch);
    set(problems, "timeout", p.timeout(), b::timeout);
    b.retryPolicy(retry(p.retry(), problems.under("retry.")));
    b.breaker(breaker(p.breaker(), problems.under("breaker.")));
    ReceiverProperties.RateLimit rate = p.rateLimit();
    if (rate.tasks() != null && rate.period() != null) {
      try {
        b.rateLimit(rate.tasks(), rate.period());
      } catch (IllegalArgumentException e) {
        problems.reject(
            e.getMessage().startsWith("rateLimit") ? "rate-limit.tasks" : "rate-limit.period",
            e.getMessage());
      }
    } else if (rate.tasks() != null || rate.period() != null) {
      problems.reject(
          rate.tasks() == null ? "rate-limit.tasks" : "rate-limit.period",
          "a rate limit needs both rate-limit.tasks and rate-limit.period");
    }
    set(problems, "fleet-concurrency", p.fleetConcurrency(), b::fleetConcurrency);
    set(problems, "dead-letter-blocks-key", p.deadLetterBlocksKey(), b::deadLetterBlocksKey);
    return b.build();
  }

  private static RetryPolicy retry(ReceiverProperties.Retry p, Problems problems) {
    RetryPolicy.Builder b = RetryPolicy.builder();
    set(problems, "max-attempts", p.maxAttempts(), b::maxAttempts);
    set(problems, "initial-delay", p.initialDelay(), b::initialDelay);
    set(problems, "max-delay", p.maxDelay(), b::maxDelay);
    set(problems, "multiplier", p.multiplier(), b::multiplier);
    set(problems, "jitter", p.jitter(), b::jitter);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      // maxDelay shorter than initialDelay.
      problems.reject("max-delay", e.getMessage());
      return RetryPolicy.defaults();
    }
  }

  private static BreakerOptions breaker(ReceiverProperties.Breaker p, Problems problems) {
    if (Boolean.FALSE.equals(p.enabled())) {
      return BreakerOptions.off();
    }
    BreakerOptions.Builder b = BreakerOptions.builder();
    set(problems, "window", p.window(), b::window);
    set(problems, "minimum-calls", p.minimumCalls(), b::minimumCalls);
    set(problems, "failure-rate-percent", p.failureRatePercent(), b::failureRatePercent);
    set(problems, "open-for", p.openFor(), b::openFor);
    set(problems, "probes", p.probes(), b::probes);
    if (p.counting() != null) {
      for (Class<? extends Throwable> type : p.counting()) {
        set(problems, "counting", type, b::counting);
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      // minimumCalls above the window.
      problems.reject("minimum-calls", e.getMessage());
      return BreakerOptions.defaults();
    }
  }

  private static <V> void set(Problems problems, String property, V value, Consumer<V> setter) {
    if (value == null) {
      return;
    }
    try {
      setter.accept(value);
    } catch (IllegalArgumentException e) {
      problems.reject(property, e.getMessage());
    }
  }

  /** A store builder that only runs the shared options' checks. */
  private static final class Check extends SqlStoreBuilder<Check> {}
}
