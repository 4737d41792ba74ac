package dev.herald.spring;

import dev.herald.NotifyMode;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Herald's Spring Boot properties, under {@code herald}: the engine's options ({@link
 * dev.herald.HeraldOptions}), the task store's, the schema step, the test mode, and the options
 * every receiver starts from. Per receiver, {@code herald.receivers.<signal>.<receiver>.*} takes
 * the keys of {@code herald.receiver-defaults.*} and overrides them (see {@link
 * ReceiverProperties}).
 *
 * <p>An unset option keeps Herald's own default, which each property's description names. Every
 * value is checked by Herald's own builders when the properties are bound, so an invalid one fails
 * startup with Spring Boot's report naming the property ({@code herald.poll-interval}), its value,
 * where it came from and Herald's reason. Immutable.
 *
 * @param enabled Whether to auto-configure Herald at all.
 * @param maxInFlight Bound of tasks one dispatcher holds at once, across receivers. Defaults to
 *     256; at least 1.
 * @param pollInterval Interval of the polling fallback when no notification arrives. Defaults to
 *     1s; positive.
 * @param lease Lease of a claimed task. A live dispatcher extends it every third of it; a crashed
 *     one's tasks become claimable when it runs out. Defaults to 30s; at least 1s.
 * @param notifyMode How sending transactions wake dispatchers in other processes: NONE,
 *     RATE_LIMITED (one NOTIFY per notify window) or EVERY_TRANSACTION. Defaults to RATE_LIMITED.
 * @param notifyWindow Window of the RATE_LIMITED notify mode. Defaults to 100ms; positive.
 * @param shutdownGrace How long closing lets running deliveries finish before cancelling and
 *     releasing them; keep it below spring.lifecycle.timeout-per-shutdown-phase (30s by default).
 *     Defaults to 10s; positive.
 * @param completionBatch Completions acknowledged in one statement, at most half of max-in-flight.
 *     Defaults to 256; at least 1.
 * @param completionDelay Longest time a completion waits for others to share its statement.
 *     Defaults to 5ms; positive.
 * @param storeTimeout Time limit of every store call the dispatcher makes; shorter than the lease.
 *     Defaults to 10s, or half the lease if that is shorter.
 * @param nodeId This node's id, recorded as the owner of the tasks it claims (1 to 200 characters).
 *     Defaults to a random id per start.
 * @param retention How long completed tasks are kept (listed by Herald.completedTasks). Unset, the
 *     default, a completed task is deleted.
 * @param store The task store on the application's ConnectionFactory.
 * @param schema What happens to Herald's database schema at startup.
 * @param test Test support.
 * @param receiverDefaults Options every receiver connected by the starter starts from;
 *     herald.receivers.(signal).(receiver).* overrides them per receiver.
 */
@ConfigurationProperties("herald")
public record HeraldProperties(
    @DefaultValue("true") boolean enabled,
    Integer maxInFlight,
    Duration pollInterval,
    Duration lease,
    NotifyMode notifyMode,
    Duration notifyWindow,
    Duration shutdownGrace,
    Integer completionBatch,
    Duration completionDelay,
    Duration storeTimeout,
    String nodeId,
    Duration retention,
    @DefaultValue Store store,
    @DefaultValue Schema schema,
    @DefaultValue Test test,
    @DefaultValue @NestedConfigurationProperty ReceiverProperties receiverDefaults)
    implements Validator {

  /** Only the root: its nested properties are checked with it, receivers when they connect. */
  @Override
  public boolean supports(Class<?> type) {
    return HeraldProperties.class == type;
  }

  /**
   * Checks every value with Herald's own builders. A value is rejected under its dashed property
   * path relative to {@code herald} ({@code poll-interval}, {@code store.table-name}), which Spring
   * Boot reports as {@code herald.poll-interval}.
   */
  @Override
  public void validate(Object target, Errors errors) {
    HeraldProperties properties = (HeraldProperties) target;
    Problems problems = Problems.of(errors, "");
    OptionsMapping.engine(properties, problems);
    OptionsMapping.store(properties.store(), problems.under("store."));
    OptionsMapping.receiver(properties.receiverDefaults(), problems.under("receiver-defaults."));
    if (properties.schema().timeout().isZero() || properties.schema().timeout().isNegative()) {
      problems.reject(
          "schema.timeout", "must be positive, but was " + properties.schema().timeout());
    }
  }

  /**
   * The task store ({@code R2dbcTaskStore}) on the application's {@code ConnectionFactory}.
   *
   * @param tableName The task table: a plain lower-case identifier, optionally schema-qualified
   *     (app.herald_task). Defaults to herald_task.
   * @param listen Whether to LISTEN for other processes' notifications, on a dedicated non-pooled
   *     connection. Defaults to true; without it other processes' sends are found by polling.
   * @param listenerHeartbeat Interval of the listener connection's liveness query. Defaults to 30s;
   *     positive.
   */
  public record Store(String tableName, Boolean listen, Duration listenerHeartbeat) {}

  /**
   * The schema step, run before the dispatcher starts and before the web server takes traffic.
   *
   * @param mode INSTALL creates or upgrades Herald's tables and functions (idempotent, safe from
   *     several nodes at once); VALIDATE only checks that the objects of the current schema version
   *     exist and fails startup if not; NONE does neither (the schema is migrated by other means).
   * @param timeout Longest time the schema step may take before startup fails.
   */
  public record Schema(
      @DefaultValue("install") SchemaMode mode, @DefaultValue("1m") Duration timeout) {}

  /** What the starter does with Herald's schema at startup. */
  public enum SchemaMode {
    /** Create or upgrade the schema ({@code Herald.installSchema()}). */
    INSTALL,
    /** Check that the objects of the current schema version exist; fail startup if not. */
    VALIDATE,
    /** Leave the schema alone. */
    NONE
  }

  /**
   * Test support.
   *
   * @param immediate Keeps tasks in memory and runs receivers when the sending transaction commits,
   *     before the transactional call returns: for the application's own tests (no dispatcher, no
   *     task table, no schema step).
   */
  public record Test(@DefaultValue("false") boolean immediate) {}
}
