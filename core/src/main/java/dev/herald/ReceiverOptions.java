package dev.herald;

import java.time.Duration;
import java.util.Objects;

/**
 * How one receiver runs: how many of its deliveries may run at once on one dispatcher, how long one
 * may take, how failures are retried, and when its circuit breaker opens.
 *
 * <p>Each receiver is isolated: its limit, timeout and breaker are its own, so a slow or failing
 * receiver never holds slots or burns attempts of another. While its breaker is open, its tasks are
 * not claimed at all; the breaker half-opens by itself after its wait and probes with a few tasks.
 *
 * <p>Besides the deliveries that run, a dispatcher may hold up to {@link #prefetch()} more of a
 * receiver's tasks: claimed ahead so that a fast receiver never waits on a claim's round trip, or
 * finished and waiting for their outcome to be recorded. Held tasks keep their leases extended and
 * count against {@link HeraldOptions#maxInFlight()}.
 *
 * <p>Defaults: concurrency {@value #DEFAULT_CONCURRENCY}, prefetch equal to the concurrency,
 * timeout 30 s, {@link RetryPolicy#defaults()}, and {@link BreakerOptions#defaults()} (time-outs
 * and connection failures count; over the last 20 calls, at least 10, it opens at 50 %, waits 10 s,
 * then lets 2 probe calls through). Immutable.
 */
public final class ReceiverOptions {

  /** Default number of concurrent deliveries per receiver and dispatcher. */
  public static final int DEFAULT_CONCURRENCY = 16;

  /** Default time limit of one delivery attempt. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private static final ReceiverOptions DEFAULTS = builder().build();

  private final int concurrency;
  private final int prefetch;
  private final Duration timeout;
  private final RetryPolicy retryPolicy;
  private final BreakerOptions breaker;
  private final boolean deadLetterBlocksKey;
  private final int rateLimit;
  private final Duration ratePeriod;
  private final int fleetConcurrency;

  private ReceiverOptions(Builder b) {
    this.concurrency = b.concurrency;
    this.prefetch = b.prefetch < 0 ? b.concurrency : b.prefetch;
    this.timeout = b.timeout;
    this.retryPolicy = b.retryPolicy;
    this.breaker = b.breaker;
    this.deadLetterBlocksKey = b.deadLetterBlocksKey;
    this.rateLimit = b.rateLimit;
    this.ratePeriod = b.ratePeriod;
    this.fleetConcurrency = b.fleetConcurrency;
  }

  /**
   * The defaults.
   *
   * @return the default options
   */
  public static ReceiverOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Starts from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Deliveries of this receiver that one dispatcher runs at once.
   *
   * @return at least 1
   */
  public int concurrency() {
    return concurrency;
  }

  /**
   * Tasks of this receiver that one dispatcher may hold beyond those running: claimed and waiting
   * for a free slot, or finished and waiting for their outcome to be recorded. A dispatcher holds
   * at most {@code concurrency + prefetch} of a receiver's tasks.
   *
   * @return at least 0
   */
  public int prefetch() {
    return prefetch;
  }

  /**
   * Time limit of one attempt; an attempt that takes longer is cancelled and counts as failed.
   *
   * @return a positive duration
   */
  public Duration timeout() {
    return timeout;
  }

  /**
   * The retry policy.
   *
   * @return the policy
   */
  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /**
   * The circuit breaker.
   *
   * @return its options, or {@link BreakerOptions#off()}
   */
  public BreakerOptions breaker() {
    return breaker;
  }

  /**
   * Whether a dead-lettered task keeps blocking the later tasks of its ordering key (see {@link
   * SendOptions#withOrderingKey}) until it is requeued and succeeds, or purged.
   *
   * @return false by default: a dead letter releases its key
   */
  public boolean deadLetterBlocksKey() {
    return deadLetterBlocksKey;
  }

  /**
   * Tasks one node claims for this receiver per {@link #ratePeriod()}.
   *
   * @return at least 1, or 0 for no rate limit (the default)
   */
  public int rateLimit() {
    return rateLimit;
  }

  /**
   * The period of {@link #rateLimit()}.
   *
   * @return the period, or null without a rate limit
   */
  public Duration ratePeriod() {
    return ratePeriod;
  }

  /**
   * Deliveries of this receiver running at once across every node on the task table.
   *
   * @return at least 1, or 0 for no fleet-wide limit (the default)
   */
  public int fleetConcurrency() {
    return fleetConcurrency;
  }

  /**
   * These options for a batch receiver's tasks: its concurrency and prefetch count batches, the
   * dispatcher counts tasks.
   */
  ReceiverOptions inTasks(int maxBatch) {
    Builder b = new Builder();
    b.concurrency = Math.multiplyExact(concurrency, maxBatch);
    b.prefetch = Math.multiplyExact(prefetch, maxBatch);
    b.timeout = timeout;
    b.retryPolicy = retryPolicy;
    b.breaker = breaker;
    b.deadLetterBlocksKey = deadLetterBlocksKey;
    b.rateLimit = rateLimit;
    b.ratePeriod = ratePeriod;
    b.fleetConcurrency = fleetConcurrency;
    return b.build();
  }

  /** Builds {@link ReceiverOptions}; every setter validates its argument at once. */
  public static final class Builder {
    private int concurrency = DEFAULT_CONCURRENCY;
    private int prefetch = -1;
    private Duration timeout = DEFAULT_TIMEOUT;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private BreakerOptions breaker = BreakerOptions.defaults();
    private boolean deadLetterBlocksKey;
    private int rateLimit;
    private Duration ratePeriod;
    private int fleetConcurrency;

    private Builder() {}

    /**
     * Deliveries that one dispatcher runs at once for this receiver. Defaults to {@value
     * #DEFAULT_CONCURRENCY}.
     *
     * @param concurrency at least 1
     * @return this builder
     */
    public Builder concurrency(int concurrency) {
      this.concurrency = Options.atLeast("concurrency", 1, concurrency);
      return this;
    }

    /**
     * Tasks this receiver may hold on one dispatcher beyond those running (see {@link
     * ReceiverOptions#prefetch()}). More lets a fast receiver keep its slots busy while claims and
     * acknowledgements travel; fewer leaves more of the backlog to other dispatchers. Defaults to
     * the concurrency.
     *
     * @param prefetch at least 0
     * @return this builder
     */
    public Builder prefetch(int prefetch) {
      this.prefetch = Options.atLeast("prefetch", 0, prefetch);
      return this;
    }

    /**
     * Time limit of one attempt. Defaults to 30 s.
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Options.positive("timeout", timeout);
      return this;
    }

    /**
     * The retry policy. Defaults to {@link RetryPolicy#defaults()}.
     *
     * @param retryPolicy the policy
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /**
     * The circuit breaker. Defaults to {@link BreakerOptions#defaults()}; {@link
     * BreakerOptions#off()} turns it off.
     *
     * @param breaker the breaker's options
     * @return this builder
     */
    public Builder breaker(BreakerOptions breaker) {
      this.breaker = Objects.requireNonNull(breaker, "breaker");
      return this;
    }

    /**
     * What a dead letter does to the later tasks of its ordering key: release them (false, the
     * default: the key flows on without it) or keep blocking them (true: nothing of that key runs
     * until the dead letter is requeued and succeeds, or purged), for receivers where a skipped
     * step breaks every later one.
     *
     * @param blocks whether a dead letter blocks its key
     * @return this builder
     */
    public Builder deadLetterBlocksKey(boolean blocks) {
      this.deadLetterBlocksKey = blocks;
      return this;
    }

    /**
     * Limits how fast one node starts this receiver's tasks: at most {@code tasks} claimed in each
     * window of {@code period} (fixed windows). Enforced when claiming: tasks over the limit stay
     * in the table, unclaimed, so no attempt is spent or retried because of it, and other nodes may
     * take them within their own limits. The limit is per node: N nodes start up to N times {@code
     * tasks} per period.
     *
     * @param tasks at least 1
     * @param period positive
     * @return this builder
     */
    public Builder rateLimit(int tasks, Duration period) {
      this.rateLimit = Options.atLeast("rateLimit", 1, tasks);
      this.ratePeriod = Options.positive("ratePeriod", period);
      return this;
    }

    /**
     * At most {@code max} deliveries of this receiver run at once across all nodes sharing the task
     * table (a partner API that accepts N connections). Claims of this receiver take a per-receiver
     * lock and count the tasks leased to any node; a task counts until it is completed, retried,
     * dead-lettered or released, or its lease runs out (so a crashed node's tasks count until their
     * leases lapse, then no longer). The node's own concurrency still applies. Nodes of releases
     * before this one do not honour it.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder fleetConcurrency(int max) {
      this.fleetConcurrency = Options.atLeast("fleetConcurrency", 1, max);
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     */
    public ReceiverOptions build() {
      return new ReceiverOptions(this);
    }
  }
}
