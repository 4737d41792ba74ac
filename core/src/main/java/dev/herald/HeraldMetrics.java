package dev.herald;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Micrometer meters for one {@link Herald}: counters of sent, delivered, retried, dead-lettered and
 * released tasks and of lost leases; timers of receiver durations and of the wait from a task's
 * creation to its first attempt; and gauges per (signal, receiver) of ready, running, scheduled,
 * dead and held tasks, the oldest ready task's age and the breaker state. Every meter carries the
 * tags {@code messaging.system=herald}, {@code signal} and (but for sends) {@code receiver}, plus
 * the tags given here; never a task id.
 *
 * <pre>{@code
 * HeraldMetrics.of(herald).bindTo(registry);
 * }</pre>
 *
 * <p>Counters and timers are recorded by the engine itself as things happen (nothing is missed,
 * unlike {@link Herald#events()} subscribers, which may miss events when slow). A task is counted
 * as sent once its sender's transaction committed, and only when Herald can observe that commit
 * (Spring transactions, Vert.x {@code SqlConnection} transactions, the in-memory store; not a bare
 * R2DBC connection the caller commits). The gauges read the latest answer of {@link
 * Herald#stats(int)}, queried once per {@link Builder#statsPeriod(Duration) stats period} (not per
 * scrape) from the moment this binder is first bound until the Herald closes; their counts stop at
 * the {@link Builder#statsCap(int) stats cap}.
 *
 * <p>Requires {@code io.micrometer:micrometer-core} on the classpath (an optional dependency of
 * herald-core: nothing else in Herald needs it). Bind before or after {@link Herald#start()}; bind
 * it to several registries if need be (each gets every meter). Thread-safe.
 */
public final class HeraldMetrics implements MeterBinder {

  /** The default {@link Builder#statsPeriod(Duration) stats period}: 15 seconds. */
  public static final Duration DEFAULT_STATS_PERIOD = Duration.ofSeconds(15);

  private final Herald herald;
  private final Duration statsPeriod;
  private final int statsCap;
  private final Tags tags;
  // Meters are registered once, here, and reach every registry this binder is bound to.
  private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
  private final AtomicBoolean installed = new AtomicBoolean();

  private HeraldMetrics(Builder b) {
    this.herald = b.herald;
    this.statsPeriod = b.statsPeriod;
    this.statsCap = b.statsCap;
    this.tags = Tags.of("messaging.system", "herald").and(b.tags);
  }

  /**
   * Meters with the default options.
   *
   * @param herald the instance to measure
   * @return a binder; nothing is measured until it is bound
   */
  public static HeraldMetrics of(Herald herald) {
    return builder(herald).build();
  }

  /**
   * Starts building meters for one instance.
   *
   * @param herald the instance to measure
   * @return a builder with default options
   */
  public static Builder builder(Herald herald) {
    return new Builder(herald);
  }

  /**
   * Registers Herald's meters with {@code registry}. The first call starts recording and the
   * periodic statistics query; later calls (other registries) add the registry only.
   *
   * @param registry where the meters go
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    meters.add(registry);
    if (installed.compareAndSet(false, true)) {
      Engine engine = herald.engine();
      engine.observe(new MeterHooks(meters, tags));
      StatsGauges gauges = new StatsGauges(herald, meters, tags, statsCap);
      engine.untilClosed(gauges.start(statsPeriod, engine.scheduler()));
    }
  }

  /** Builds {@link HeraldMetrics}. */
  public static final class Builder {
    private final Herald herald;
    private Duration statsPeriod = DEFAULT_STATS_PERIOD;
    private int statsCap = ReceiverStats.DEFAULT_CAP;
    private Tags tags = Tags.empty();

    private Builder(Herald herald) {
      this.herald = Objects.requireNonNull(herald, "herald");
    }

    /**
     * How often the gauges' statistics are queried (one bounded statement per period, whatever the
     * number of scrapes). Defaults to {@link #DEFAULT_STATS_PERIOD} (15 seconds). Must be positive.
     *
     * @param statsPeriod the period
     * @return this builder
     */
    public Builder statsPeriod(Duration statsPeriod) {
      Objects.requireNonNull(statsPeriod, "statsPeriod");
      if (statsPeriod.isZero() || statsPeriod.isNegative()) {
        throw new IllegalArgumentException("statsPeriod must be positive, but was " + statsPeriod);
      }
      this.statsPeriod = statsPeriod;
      return this;
    }

    /**
     * The most tasks one gauge's count reads per query (see {@link Herald#stats(int)}). Defaults to
     * {@link ReceiverStats#DEFAULT_CAP} (10,000). At least 1.
     *
     * @param statsCap the cap
     * @return this builder
     */
    public Builder statsCap(int statsCap) {
      if (statsCap < 1) {
        throw new IllegalArgumentException("statsCap must be at least 1, but was " + statsCap);
      }
      this.statsCap = statsCap;
      return this;
    }

    /**
     * Tags added to every meter, such as the application's name. Defaults to none.
     *
     * @param tags the tags
     * @return this builder
     */
    public Builder tags(Iterable<Tag> tags) {
      this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
      return this;
    }

    /**
     * Builds the binder; nothing is measured until it is bound.
     *
     * @return the binder
     */
    public HeraldMetrics build() {
      return new HeraldMetrics(this);
    }
  }
}
