package dev.herald;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * When a receiver's circuit breaker opens: which failures count, over how many calls, at what rate,
 * and for how long it stays open. While it is open the receiver's tasks are not claimed, so no
 * attempt is burned; it half-opens by itself and lets a few probe tasks through.
 *
 * <p>A breaker protects a downstream that is down, not a task that fails: only failures that say
 * the downstream cannot be reached count. By default those are the attempt's {@link
 * ReceiverOptions#timeout() timeout} and {@link IOException}s (refused or reset connections,
 * unknown hosts, socket and HTTP time-outs), found anywhere in the failure's cause chain; a
 * receiver adds its own types with {@link Builder#counting(Class[])} (an HTTP 503, say). Any other
 * failure is retried on its backoff and is neither a failure nor a success to the breaker; a {@link
 * PermanentFailureException} never counts. So a receiver whose tasks fail twice and then succeed
 * drains in its backoff time, while one whose every call times out opens its breaker after {@link
 * #minimumCalls()} calls.
 *
 * <p>Defaults: over the last 20 calls (at least 10), open at 50 % counted failures, stay open 10 s,
 * then let 2 probe calls through. {@link #off()} turns the breaker off. Immutable.
 */
public final class BreakerOptions {

  private static final List<Class<? extends Throwable>> DEFAULT_COUNTED =
      List.of(TimeoutException.class, IOException.class);

  private static final int MAX_CAUSES = 32;

  private static final BreakerOptions DEFAULTS = builder().build();
  private static final BreakerOptions OFF = new BreakerOptions(builder(), false);

  private final boolean enabled;
  private final int window;
  private final int minimumCalls;
  private final int failureRatePercent;
  private final Duration openFor;
  private final int probes;
  private final List<Class<? extends Throwable>> counted;

  private BreakerOptions(Builder b, boolean enabled) {
    this.enabled = enabled;
    this.window = b.window;
    this.minimumCalls = b.minimumCalls;
    this.failureRatePercent = b.failureRatePercent;
    this.openFor = b.openFor;
    this.probes = b.probes;
    this.counted = List.copyOf(b.counted);
  }

  /**
   * The defaults.
   *
   * @return the default breaker
   */
  public static BreakerOptions defaults() {
    return DEFAULTS;
  }

  /**
   * No breaker: the receiver's tasks are claimed whatever its failures; only retries and their
   * backoff pace them.
   *
   * @return a breaker that never opens
   */
  public static BreakerOptions off() {
    return OFF;
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
   * Whether there is a breaker at all.
   *
   * @return false for {@link #off()}
   */
  public boolean enabled() {
    return enabled;
  }

  /**
   * How many of the latest calls the failure rate is measured over.
   *
   * @return at least 1
   */
  public int window() {
    return window;
  }

  /**
   * How many calls the window must hold before the rate can open the breaker.
   *
   * @return from 1 to {@link #window()}
   */
  public int minimumCalls() {
    return minimumCalls;
  }

  /**
   * The rate of counted failures, in percent of the window's calls, at which the breaker opens.
   *
   * @return from 1 to 100
   */
  public int failureRatePercent() {
    return failureRatePercent;
  }

  /**
   * How long the breaker stays open before it half-opens.
   *
   * @return a positive duration
   */
  public Duration openFor() {
    return openFor;
  }

  /**
   * How many probe calls a half-open breaker lets through.
   *
   * @return at least 1
   */
  public int probes() {
    return probes;
  }

  /**
   * Whether a failure counts against the breaker: it, or one of its causes, is of a counted type,
   * and none of them is a {@link PermanentFailureException}.
   *
   * @param failure what an attempt failed with
   * @return true if it counts
   */
  public boolean counts(Throwable failure) {
    boolean counted = false;
    // Bounded: a cause chain may loop back on itself (A caused by B caused by A).
    int depth = 0;
    for (Throwable t = failure; t != null && depth++ < MAX_CAUSES; t = t.getCause()) {
      if (t instanceof PermanentFailureException) {
        return false;
      }
      for (Class<? extends Throwable> type : this.counted) {
        counted |= type.isInstance(t);
      }
    }
    return counted;
  }

  @Override
  public String toString() {
    return enabled
        ? "BreakerOptions[window="
            + window
            + ", minimumCalls="
            + minimumCalls
            + ", failureRatePercent="
            + failureRatePercent
            + ", openFor="
            + openFor
            + ", probes="
            + probes
            + ", counting="
            + counted.stream().map(Class::getName).toList()
            + "]"
        : "BreakerOptions[off]";
  }

  /** Builds {@link BreakerOptions}; every setter validates its argument at once. */
  public static final class Builder {
    private int window = 20;
    private int minimumCalls = 10;
    private int failureRatePercent = 50;
    private Duration openFor = Duration.ofSeconds(10);
    private int probes = 2;
    private final List<Class<? extends Throwable>> counted = new ArrayList<>(DEFAULT_COUNTED);

    private Builder() {}

    /**
     * How many of the latest calls the rate is measured over. Defaults to 20.
     *
     * @param calls at least 1
     * @return this builder
     */
    public Builder window(int calls) {
      this.window = Options.atLeast("window", 1, calls);
      return this;
    }

    /**
     * How many calls the window must hold before the breaker can open. Defaults to 10; at most the
     * window.
     *
     * @param calls at least 1
     * @return this builder
     */
    public Builder minimumCalls(int calls) {
      this.minimumCalls = Options.atLeast("minimumCalls", 1, calls);
      return this;
    }

    /**
     * The rate of counted failures at which the breaker opens. Defaults to 50.
     *
     * @param percent from 1 to 100
     * @return this builder
     */
    public Builder failureRatePercent(int percent) {
      if (percent < 1 || percent > 100) {
        throw new IllegalArgumentException(
            "failureRatePercent must be from 1 to 100, but was " + percent);
      }
      this.failureRatePercent = percent;
      return this;
    }

    /**
     * How long the breaker stays open. Defaults to 10 s.
     *
     * @param openFor positive
     * @return this builder
     */
    public Builder openFor(Duration openFor) {
      this.openFor = Options.positive("openFor", openFor);
      return this;
    }

    /**
     * How many probe calls a half-open breaker lets through. Defaults to 2.
     *
     * @param calls at least 1
     * @return this builder
     */
    public Builder probes(int calls) {
      this.probes = Options.atLeast("probes", 1, calls);
      return this;
    }

    /**
     * Failures of these types (or caused by them) count too, besides time-outs and {@link
     * IOException}s: a receiver's own way of saying its downstream is down.
     *
     * @param types exception types; {@link PermanentFailureException} cannot be one
     * @return this builder
     */
    @SafeVarargs
    public final Builder counting(Class<? extends Throwable>... types) {
      Objects.requireNonNull(types, "counting");
      for (Class<? extends Throwable> type : types) {
        Objects.requireNonNull(type, "counting");
        if (PermanentFailureException.class.isAssignableFrom(type)) {
          throw new IllegalArgumentException(
              "counting must not include "
                  + type.getName()
                  + ": a permanent failure describes one task, never the downstream");
        }
        counted.add(type);
      }
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     * @throws IllegalArgumentException if {@code minimumCalls} exceeds the window
     */
    public BreakerOptions build() {
      if (minimumCalls > window) {
        throw new IllegalArgumentException(
            "minimumCalls must not exceed window, but was " + minimumCalls + " > " + window);
      }
      return new BreakerOptions(this, true);
    }
  }
}
