package dev.herald;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * When a failed delivery is tried again, and when Herald gives up and dead-letters the task.
 *
 * <p>The delay before attempt {@code n + 1} is drawn from {@code [0, cap(n)]} (full jitter), where
 * {@code cap(n) = min(maxDelay, initialDelay * multiplier^(n-1))}; with {@link
 * Builder#jitter(boolean) jitter off} it is exactly {@code cap(n)}. Full jitter spreads the retries
 * of a burst of failures instead of sending them back in lock step.
 *
 * <p>Defaults: {@value #DEFAULT_MAX_ATTEMPTS} attempts, initial delay 1 s, multiplier 2, max delay
 * 5 min, jitter on. Immutable and thread-safe.
 */
public final class RetryPolicy {

  /** Default number of attempts, the first included. */
  public static final int DEFAULT_MAX_ATTEMPTS = 10;

  /** Default cap of the first retry's delay. */
  public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofSeconds(1);

  /** Default upper bound of any delay. */
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofMinutes(5);

  /** Default growth factor between attempts. */
  public static final double DEFAULT_MULTIPLIER = 2.0;

  private static final RetryPolicy DEFAULTS = builder().build();

  private final int maxAttempts;
  private final Duration initialDelay;
  private final Duration maxDelay;
  private final double multiplier;
  private final boolean jitter;

  private RetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialDelay = b.initialDelay;
    this.maxDelay = b.maxDelay;
    this.multiplier = b.multiplier;
    this.jitter = b.jitter;
  }

  /**
   * The default policy.
   *
   * @return 10 attempts, exponential backoff from 1 s to 5 min with full jitter
   */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * A policy that dead-letters after the first failure.
   *
   * @return a policy with one attempt
   */
  public static RetryPolicy noRetry() {
    return builder().maxAttempts(1).build();
  }

  /**
   * Starts a policy from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Attempts allowed in total, the first included.
   *
   * @return at least 1
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Whether another attempt follows the failed attempt {@code attempt}.
   *
   * @param attempt the attempt that failed, starting at 1
   * @return true if the task should be retried
   */
  public boolean retriesAfter(int attempt) {
    return attempt < maxAttempts;
  }

  /**
   * The largest delay after failed attempt {@code attempt}, before jitter.
   *
   * @param attempt the attempt that failed, starting at 1
   * @return {@code min(maxDelay, initialDelay * multiplier^(attempt-1))}
   */
  public Duration capAfter(int attempt) {
    double millis = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
    return millis >= maxDelay.toMillis() ? maxDelay : Duration.ofMillis((long) millis);
  }

  /**
   * The delay after failed attempt {@code attempt}.
   *
   * @param attempt the attempt that failed, starting at 1
   * @param random a source of uniform values in {@code [0, 1)}
   * @return the delay before the next attempt
   */
  public Duration delayAfter(int attempt, DoubleSupplier random) {
    Duration cap = capAfter(attempt);
    return jitter ? Duration.ofMillis((long) (cap.toMillis() * random.getAsDouble())) : cap;
  }

  @Override
  public String toString() {
    return "RetryPolicy[maxAttempts="
        + maxAttempts
        + ", initialDelay="
        + initialDelay
        + ", maxDelay="
        + maxDelay
        + ", multiplier="
        + multiplier
        + ", jitter="
        + jitter
        + "]";
  }

  /** Builds a {@link RetryPolicy}; every setter validates its argument at once. */
  public static final class Builder {
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialDelay = DEFAULT_INITIAL_DELAY;
    private Duration maxDelay = DEFAULT_MAX_DELAY;
    private double multiplier = DEFAULT_MULTIPLIER;
    private boolean jitter = true;

    private Builder() {}

    /**
     * Attempts allowed in total, the first included. Defaults to {@value #DEFAULT_MAX_ATTEMPTS}.
     *
     * @param maxAttempts at least 1
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException(
            "maxAttempts must be at least 1, but was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Cap of the first retry's delay. Defaults to 1 s.
     *
     * @param initialDelay positive
     * @return this builder
     */
    public Builder initialDelay(Duration initialDelay) {
      this.initialDelay = Options.positive("initialDelay", initialDelay);
      return this;
    }

    /**
     * Upper bound of every delay. Defaults to 5 min.
     *
     * @param maxDelay positive
     * @return this builder
     */
    public Builder maxDelay(Duration maxDelay) {
      this.maxDelay = Options.positive("maxDelay", maxDelay);
      return this;
    }

    /**
     * Growth factor of the cap between attempts. Defaults to 2.
     *
     * @param multiplier at least 1
     * @return this builder
     */
    public Builder multiplier(double multiplier) {
      if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
        throw new IllegalArgumentException(
            "multiplier must be a finite number of at least 1, but was " + multiplier);
      }
      this.multiplier = multiplier;
      return this;
    }

    /**
     * Whether delays are drawn uniformly from {@code [0, cap]} (full jitter). Defaults to true.
     *
     * @param jitter false for exact, deterministic delays
     * @return this builder
     */
    public Builder jitter(boolean jitter) {
      this.jitter = jitter;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return the policy
     * @throws IllegalArgumentException if {@code maxDelay < initialDelay}
     */
    public RetryPolicy build() {
      if (maxDelay.compareTo(initialDelay) < 0) {
        throw new IllegalArgumentException(
            "maxDelay must not be shorter than initialDelay, but was "
                + maxDelay
                + " < "
                + initialDelay);
      }
      return new RetryPolicy(this);
    }
  }
}
