package dev.herald;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * Engine-wide options: how much one dispatcher holds, how it finds work, and how long its claims
 * last. Immutable; every setter validates at once and names the option in its message.
 *
 * <p>Consider tuning: {@link Builder#maxInFlight(int)}, {@link Builder#pollInterval(Duration)},
 * {@link Builder#notifyMode(NotifyMode)}. Rarely tuned: lease, batch sizes, grace period, node id.
 */
public final class HeraldOptions {

  /** Default bound of tasks one dispatcher holds at once, across receivers. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 256;

  /** Default interval of the polling fallback. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

  /** Default lease of a claimed task; a live dispatcher extends it every third of it. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

  /** Default window of {@link NotifyMode#RATE_LIMITED}. */
  public static final Duration DEFAULT_NOTIFY_WINDOW = Duration.ofMillis(100);

  /** Default time {@code close()} lets in-flight deliveries finish. */
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);

  /** Default number of completions acknowledged in one statement. */
  public static final int DEFAULT_COMPLETION_BATCH = 256;

  /** Default time a completion waits for others to share its statement. */
  public static final Duration DEFAULT_COMPLETION_DELAY = Duration.ofMillis(5);

  /** Default time limit of one store call made by the dispatcher. */
  public static final Duration DEFAULT_STORE_TIMEOUT = Duration.ofSeconds(10);

  private static final HeraldOptions DEFAULTS = builder().build();

  private final int maxInFlight;
  private final Duration pollInterval;
  private final Duration lease;
  private final NotifyMode notifyMode;
  private final Duration notifyWindow;
  private final Duration shutdownGrace;
  private final int completionBatch;
  private final Duration completionDelay;
  private final Duration storeTimeout;
  private final Duration retention;
  private final String nodeId;

  private HeraldOptions(Builder b) {
    this.maxInFlight = b.maxInFlight;
    this.pollInterval = b.pollInterval;
    this.lease = b.lease;
    this.notifyMode = b.notifyMode;
    this.notifyWindow = b.notifyWindow;
    this.shutdownGrace = b.shutdownGrace;
    this.completionBatch = b.completionBatch;
    this.completionDelay = b.completionDelay;
    // Unset, it follows a short lease down: a store call must end well before the lease would.
    Duration halfLease = b.lease.dividedBy(2);
    this.storeTimeout =
        b.storeTimeout != null
            ? b.storeTimeout
            : DEFAULT_STORE_TIMEOUT.compareTo(halfLease) < 0 ? DEFAULT_STORE_TIMEOUT : halfLease;
    this.nodeId = b.nodeId != null ? b.nodeId : "herald-" + UUID.randomUUID();
    this.retention = b.retention;
  }

  /**
   * The defaults.
   *
   * @return default options with a random node id
   */
  public static HeraldOptions defaults() {
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
   * @return bound of tasks held at once by one dispatcher
   */
  public int maxInFlight() {
    return maxInFlight;
  }

  /**
   * @return interval of the polling fallback
   */
  public Duration pollInterval() {
    return pollInterval;
  }

  /**
   * @return lease of a claimed task
   */
  public Duration lease() {
    return lease;
  }

  /**
   * @return how senders wake other processes
   */
  public NotifyMode notifyMode() {
    return notifyMode;
  }

  /**
   * @return window of {@link NotifyMode#RATE_LIMITED}
   */
  public Duration notifyWindow() {
    return notifyWindow;
  }

  /**
   * @return time {@code close()} lets in-flight deliveries finish
   */
  public Duration shutdownGrace() {
    return shutdownGrace;
  }

  /**
   * @return completions acknowledged per statement
   */
  public int completionBatch() {
    return completionBatch;
  }

  /**
   * @return time a completion waits to share its statement
   */
  public Duration completionDelay() {
    return completionDelay;
  }

  /**
   * @return time limit of one store call made by the dispatcher
   */
  public Duration storeTimeout() {
    return storeTimeout;
  }

  /**
   * @return this node's id, recorded as the owner of the tasks it claims
   */
  public String nodeId() {
    return nodeId;
  }

  /**
   * @return how long completed tasks are kept, or null when they are not (the default)
   */
  public Duration retention() {
    return retention;
  }

  /** Builds {@link HeraldOptions}. */
  public static final class Builder {
    private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration lease = DEFAULT_LEASE;
    private NotifyMode notifyMode = NotifyMode.RATE_LIMITED;
    private Duration notifyWindow = DEFAULT_NOTIFY_WINDOW;
    private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
    private int completionBatch = DEFAULT_COMPLETION_BATCH;
    private Duration completionDelay = DEFAULT_COMPLETION_DELAY;
    private Duration retention;
    private Duration storeTimeout;
    private String nodeId;

    private Builder() {}

    /**
     * Bound of tasks one dispatcher holds at once, across all receivers; claims never exceed the
     * free slots. Defaults to {@value #DEFAULT_MAX_IN_FLIGHT}.
     *
     * @param maxInFlight at least 1
     * @return this builder
     */
    public Builder maxInFlight(int maxInFlight) {
      this.maxInFlight = Options.atLeast("maxInFlight", 1, maxInFlight);
      return this;
    }

    /**
     * How long the dispatcher waits between polls when no notification arrives. Notifications
     * normally trigger a claim at once; polling bounds latency when one is lost. Defaults to 1 s.
     *
     * @param pollInterval positive
     * @return this builder
     */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = Options.positive("pollInterval", pollInterval);
      return this;
    }

    /**
     * How long a claim is valid. A live dispatcher extends the leases of its tasks every third of
     * it, so a long delivery is never handed to another node; a crashed dispatcher's tasks become
     * claimable again when their lease runs out. Defaults to 30 s; at least 1 s.
     *
     * @param lease at least 1 s
     * @return this builder
     */
    public Builder lease(Duration lease) {
      Options.positive("lease", lease);
      if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("lease must be at least 1s, but was " + lease);
      }
      this.lease = lease;
      return this;
    }

    /**
     * How senders wake dispatchers in other processes. Defaults to {@link NotifyMode#RATE_LIMITED}.
     *
     * @param notifyMode the mode
     * @return this builder
     */
    public Builder notifyMode(NotifyMode notifyMode) {
      this.notifyMode = Objects.requireNonNull(notifyMode, "notifyMode");
      return this;
    }

    /**
     * Window of {@link NotifyMode#RATE_LIMITED}. Defaults to 100 ms.
     *
     * @param notifyWindow positive
     * @return this builder
     */
    public Builder notifyWindow(Duration notifyWindow) {
      this.notifyWindow = Options.positive("notifyWindow", notifyWindow);
      return this;
    }

    /**
     * How long {@code close()} lets in-flight deliveries finish before cancelling them and
     * releasing their tasks. Defaults to 10 s.
     *
     * @param shutdownGrace positive
     * @return this builder
     */
    public Builder shutdownGrace(Duration shutdownGrace) {
      this.shutdownGrace = Options.positive("shutdownGrace", shutdownGrace);
      return this;
    }

    /**
     * Completions acknowledged in one statement, never more than half of {@code maxInFlight} (so
     * that one slow acknowledgement holds back at most half of what the node holds). Defaults to
     * {@value #DEFAULT_COMPLETION_BATCH}.
     *
     * @param completionBatch at least 1
     * @return this builder
     */
    public Builder completionBatch(int completionBatch) {
      this.completionBatch = Options.atLeast("completionBatch", 1, completionBatch);
      return this;
    }

    /**
     * Longest time a completion waits for others to share its statement. Defaults to 5 ms.
     *
     * @param completionDelay positive
     * @return this builder
     */
    public Builder completionDelay(Duration completionDelay) {
      this.completionDelay = Options.positive("completionDelay", completionDelay);
      return this;
    }

    /**
     * Time limit of every store call the dispatcher makes (claims, acknowledgements, retries, lease
     * extensions, releases). A call that takes longer is abandoned with a {@link
     * HeraldEvent.StoreCallTimedOut} event and a warning, and handled like a failed call: claims
     * are retried after a backoff, outcomes are retried while their lease lasts. Defaults to 10 s,
     * or half the lease if that is shorter; must be shorter than the lease.
     *
     * @param storeTimeout positive
     * @return this builder
     */
    public Builder storeTimeout(Duration storeTimeout) {
      this.storeTimeout = Options.positive("storeTimeout", storeTimeout);
      return this;
    }

    /**
     * This node's id, recorded as owner of its claims. Defaults to a random id per instance.
     *
     * @param nodeId 1 to 200 characters
     * @return this builder
     */
    public Builder nodeId(String nodeId) {
      this.nodeId = Options.name("nodeId", nodeId);
      return this;
    }

    /**
     * Keeps every task this node completes for {@code keepFor} after its completion: its payload,
     * attempts, completion time and completing node, listed by {@link Herald#completedTasks} ("did
     * {@code crm-sync} run for customer 42?"). Off by default: a completed task is deleted.
     * Completions then also write the kept copy (in the same statement), and the node removes
     * expired copies every few seconds, oldest first, in bounded batches that lock only the rows
     * they delete.
     *
     * @param keepFor positive
     * @return this builder
     */
    public Builder retention(Duration keepFor) {
      this.retention = Options.positive("retention", keepFor);
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     */
    public HeraldOptions build() {
      if (storeTimeout != null && storeTimeout.compareTo(lease) >= 0) {
        throw new IllegalArgumentException(
            "storeTimeout must be shorter than the lease, but was "
                + storeTimeout
                + " with a lease of "
                + lease);
      }
      return new HeraldOptions(this);
    }
  }
}
