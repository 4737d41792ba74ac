package dev.herald.spi;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;
import reactor.util.retry.Retry;

/**
 * Herald's PostgreSQL store, for every driver: each operation of {@link TaskStore} built from
 * {@link HeraldSql} and bound here, and run through a {@link SqlDriver}. The listener's
 * reconnection (with backoff, forever) lives here too, so that every driver recovers alike.
 *
 * <p>Unstable SPI: adapters hand what {@link #create} returns to {@code dev.herald.Store}.
 */
public final class SqlTaskStore implements TaskStore {

  private static final Logger log = LoggerFactory.getLogger(SqlTaskStore.class);

  private final SqlDriver driver;
  private final SqlStoreOptions options;
  private final HeraldSql sql;

  private SqlTaskStore(SqlDriver driver, SqlStoreOptions options) {
    this.driver = Objects.requireNonNull(driver, "driver");
    this.options = Objects.requireNonNull(options, "options");
    this.sql = HeraldSql.forTable(options.table());
  }

  /**
   * A store over a driver.
   *
   * @param driver the adapter's driver
   * @param options the table and the listener's options
   * @return the store's operations
   */
  public static TaskStore create(SqlDriver driver, SqlStoreOptions options) {
    return new SqlTaskStore(driver, options);
  }

  @Override
  public Mono<SenderTransaction> senderTransaction(ContextView context, String signal) {
    return driver.transaction(context, signal).map(Sending::new);
  }

  @Override
  public Flux<Wakeup> wakeups() {
    if (!options.listen()) {
      return Flux.never();
    }
    String channel = channel();
    return Flux.defer(() -> driver.listen(channel, options.heartbeat()))
        .doOnError(
            e -> log.warn("Herald listener on {} lost: {}; reconnecting", channel, e.toString()))
        // Said before the retry resubscribes, so that health checks see the gap.
        .onErrorResume(e -> Flux.concat(Mono.just(Wakeup.LOST), Mono.error(e)))
        .retryWhen(
            Retry.backoff(Long.MAX_VALUE, SqlDriver.LISTEN_FIRST_RETRY)
                .maxBackoff(SqlDriver.LISTEN_MAX_RETRY)
                .transientErrors(true));
  }

  @Override
  public String channel() {
    return sql.table().channel();
  }

  @Override
  public Mono<Void> installSchema() {
    return driver.executeScript(sql.schemaScript());
  }

  @Override
  public Flux<ClaimedTask> taskClaimBatch(TaskClaimBatchParams p) {
    int n = p.wants().size();
    String[] signals = new String[n];
    String[] receivers = new String[n];
    Integer[] limits = new Integer[n];
    String[] sinces = new String[n];
    Boolean[] deadBlocks = new Boolean[n];
    Integer[] fleetLimits = new Integer[n];
    boolean limited = false;
    for (int i = 0; i < n; i++) {
      ClaimWant w = p.wants().get(i);
      signals[i] = w.signal();
      receivers[i] = w.receiver();
      limits[i] = w.limit();
      // ISO-8601 text keeps the microseconds and binds the same way on every driver.
      sinces[i] = w.since() == null ? null : w.since().toString();
      deadBlocks[i] = w.deadLetterBlocksKey();
      fleetLimits[i] = w.fleetLimit() == 0 ? null : w.fleetLimit();
      limited |= w.fleetLimit() > 0;
    }
    List<SqlStatement.Bind> binds = new ArrayList<>(8);
    binds.add(new SqlStatement.Bind(signals, String[].class));
    binds.add(new SqlStatement.Bind(receivers, String[].class));
    binds.add(new SqlStatement.Bind(limits, Integer[].class));
    binds.add(bind(p.owner()));
    binds.add(new SqlStatement.Bind(seconds(p.lease()), Double.class));
    binds.add(new SqlStatement.Bind(sinces, String[].class));
    binds.add(new SqlStatement.Bind(deadBlocks, Boolean[].class));
    // Claims without a fleet-wide limit never take its locks.
    if (limited) {
      binds.add(new SqlStatement.Bind(fleetLimits, Integer[].class));
    }
    return driver.query(
        new SqlStatement(
            limited ? sql.taskClaimBatchLimited : sql.taskClaimBatch,
            binds.toArray(SqlStatement.Bind[]::new)),
        r ->
            new ClaimedTask(
                r.get(0, Long.class),
                r.get(1, String.class),
                r.get(2, String.class),
                r.get(3, String.class),
                r.get(4, String.class),
                r.get(5, Integer.class),
                r.get(6, OffsetDateTime.class).toInstant(),
                r.get(7, OffsetDateTime.class).toInstant(),
                r.get(8, OffsetDateTime.class).toInstant(),
                r.get(9, String.class)));
  }

  @Override
  public Flux<Long> taskCompleteMany(TaskCompleteManyParams p) {
    return driver.query(
        new SqlStatement(
            p.keep() ? sql.taskCompleteManyKept : sql.taskCompleteMany, tokenBinds(p.tokens(), 3)),
        SqlTaskStore::id);
  }

  @Override
  public Mono<Boolean> taskRetryLater(TaskRetryLaterParams p) {
    return driver
        .update(
            new SqlStatement(
                sql.taskRetryLater,
                new SqlStatement.Bind(p.id(), Long.class),
                new SqlStatement.Bind(p.attempt(), Integer.class),
                bind(p.owner()),
                new SqlStatement.Bind(seconds(p.delay()), Double.class),
                bind(p.lastError())))
        .map(rows -> rows == 1);
  }

  @Override
  public Mono<Boolean> taskDeadLetter(TaskDeadLetterParams p) {
    return count(
            new SqlStatement(
                sql.taskDeadLetter,
                new SqlStatement.Bind(p.id(), Long.class),
                new SqlStatement.Bind(p.attempt(), Integer.class),
                bind(p.owner()),
                bind(p.lastError())))
        .map(rows -> rows == 1);
  }

  @Override
  public Mono<Long> taskExpire(TaskExpireParams p) {
    return driver.update(
        new SqlStatement(
            sql.taskExpire,
            new SqlStatement.Bind(seconds(p.keepFor()), Double.class),
            new SqlStatement.Bind(p.max(), Integer.class)));
  }

  @Override
  public Flux<Long> taskCancel(TaskCancelParams p) {
    return driver.query(
        new SqlStatement(
            sql.taskCancel,
            new SqlStatement.Bind(boxed(p.ids()), Long[].class),
            bind(p.signal()),
            bind(p.dedupeKey())),
        SqlTaskStore::id);
  }

  // The writes that release dedupe keys answer their row count as a query (a statement with
  // data-modifying CTEs reports no count of its own).
  private Mono<Long> count(SqlStatement statement) {
    return driver.query(statement, SqlTaskStore::id).single();
  }

  @Override
  public Flux<Long> taskRelease(TaskReleaseParams p) {
    SqlStatement.Bind[] binds = tokenBinds(p.tokens(), 4);
    binds[3] = new SqlStatement.Bind(p.refundAttempt() ? 1 : 0, Integer.class);
    return driver.query(new SqlStatement(sql.taskRelease, binds), SqlTaskStore::id);
  }

  @Override
  public Flux<Long> taskExtendLease(TaskExtendLeaseParams p) {
    SqlStatement.Bind[] binds = tokenBinds(p.tokens(), 4);
    binds[3] = new SqlStatement.Bind(seconds(p.lease()), Double.class);
    return driver.query(new SqlStatement(sql.taskExtendLease, binds), SqlTaskStore::id);
  }

  @Override
  public Mono<Void> taskNotify(TaskNotifyParams p) {
    return driver.update(new SqlStatement(sql.taskNotify, bind(p.channel()))).then();
  }

  @Override
  public Mono<Long> taskReleaseOwned(TaskReleaseOwnedParams p) {
    return driver.update(new SqlStatement(sql.taskReleaseOwned, bind(p.owner())));
  }

  private static Long id(SqlRow row) {
    return row.get(0, Long.class);
  }

  @Override
  public Flux<TaskListRow> taskList(TaskListParams p) {
    return driver.query(
        new SqlStatement(
            "done".equals(p.state()) ? sql.taskListDone : sql.taskList,
            bind(p.state()),
            bind(p.signal()),
            bind(p.receiver()),
            new SqlStatement.Bind(p.afterId(), Long.class),
            new SqlStatement.Bind(p.limit(), Integer.class)),
        SqlTaskStore::task);
  }

  @Override
  public Flux<TaskListRow> taskFind(TaskFindParams p) {
    return driver.query(
        new SqlStatement(
            sql.taskFind,
            new SqlStatement.Bind(boxed(p.ids()), Long[].class),
            bind(p.signal()),
            bind(p.dedupeKey()),
            new SqlStatement.Bind(p.limit(), Integer.class)),
        SqlTaskStore::task);
  }

  private static TaskListRow task(SqlRow r) {
    OffsetDateTime lockedUntil = r.get(11, OffsetDateTime.class);
    return new TaskListRow(
        r.get(0, Long.class),
        r.get(1, String.class),
        r.get(2, String.class),
        r.get(3, String.class),
        r.get(4, Integer.class),
        r.get(5, OffsetDateTime.class).toInstant(),
        r.get(6, OffsetDateTime.class).toInstant(),
        r.get(7, String.class),
        r.get(8, String.class),
        r.get(9, String.class),
        r.get(10, String.class),
        lockedUntil == null ? null : lockedUntil.toInstant());
  }

  @Override
  public Flux<TaskCountReadyRow> taskCountReady() {
    return driver.query(
        new SqlStatement(sql.taskCountReady),
        r ->
            new TaskCountReadyRow(
                r.get(0, String.class), r.get(1, String.class), r.get(2, Long.class)));
  }

  @Override
  public Flux<TaskStatsRow> taskStats(TaskStatsParams p) {
    String[] signals = p.pairs().stream().map(ReceiverKey::signal).toArray(String[]::new);
    String[] receivers = p.pairs().stream().map(ReceiverKey::receiver).toArray(String[]::new);
    return driver.query(
        new SqlStatement(
            sql.taskStats,
            new SqlStatement.Bind(signals, String[].class),
            new SqlStatement.Bind(receivers, String[].class),
            new SqlStatement.Bind(p.cap(), Integer.class)),
        r -> {
          Long oldest = r.get(3, Long.class);
          return new TaskStatsRow(
              r.get(0, String.class),
              r.get(1, String.class),
              r.get(2, Long.class),
              oldest == null ? null : Duration.ofNanos(oldest * 1_000),
              r.get(4, Long.class),
              r.get(5, Long.class),
              r.get(6, Long.class),
              r.get(7, Long.class));
        });
  }

  @Override
  public Mono<Long> taskRequeue(TaskRequeueParams p) {
    return driver.update(new SqlStatement(sql.taskRequeue, filterBinds(p.filter())));
  }

  @Override
  public Mono<Long> taskPurge(TaskPurgeParams p) {
    return driver.update(new SqlStatement(sql.taskPurge, filterBinds(p.filter())));
  }

  @Override
  public Mono<Long> taskDeadLetterReady(TaskDeadLetterReadyParams p) {
    return count(
        new SqlStatement(
            sql.taskDeadLetterReady, bind(p.signal()), bind(p.receiver()), bind(p.lastError())));
  }

  @Override
  public Flux<RotatedGeneration> taskRotate(TaskRotateParams p) {
    return driver.query(
        new SqlStatement(sql.taskRotate, new SqlStatement.Bind(p.maxMoved(), Integer.class)),
        r ->
            new RotatedGeneration(
                r.get(0, Integer.class),
                RotatedGeneration.Outcome.valueOf(r.get(1, String.class).toUpperCase(Locale.ROOT)),
                r.get(2, Long.class),
                r.get(3, Long.class)));
  }

  @Override
  public Mono<Void> receiverRegister(ReceiverRegisterParams p) {
    String[] signals = p.receivers().stream().map(ReceiverKey::signal).toArray(String[]::new);
    String[] receivers = p.receivers().stream().map(ReceiverKey::receiver).toArray(String[]::new);
    return driver
        .update(
            new SqlStatement(
                sql.receiverRegister,
                new SqlStatement.Bind(signals, String[].class),
                new SqlStatement.Bind(receivers, String[].class),
                bind(p.node())))
        .then();
  }

  @Override
  public Mono<Boolean> receiverRetire(ReceiverRetireParams p) {
    return driver
        .update(new SqlStatement(sql.receiverRetire, bind(p.signal()), bind(p.receiver())))
        .map(rows -> rows > 0);
  }

  @Override
  public Flux<ReceiverListRow> receiverList() {
    return driver.query(
        new SqlStatement(sql.receiverList),
        r ->
            new ReceiverListRow(
                r.get(0, String.class),
                r.get(1, String.class),
                r.get(2, OffsetDateTime.class).toInstant(),
                r.get(3, String.class)));
  }

  /** The caller's transaction, with the send path's statements. */
  private final class Sending implements SenderTransaction {
    private final SqlTransaction tx;

    Sending(SqlTransaction tx) {
      this.tx = tx;
    }

    // The insert, then the notification if one was requested: in order, so that a failed insert
    // fails the transaction before the NOTIFY runs.
    @Override
    public Mono<TaskInsertManyResult> taskInsertMany(TaskInsertManyParams p) {
      List<SqlStatement.Bind> binds = new ArrayList<>(8);
      binds.add(bind(p.signal()));
      binds.add(bind(p.payload()));
      binds.add(bind(p.headers()));
      binds.add(new SqlStatement.Bind(p.receivers().toArray(String[]::new), String[].class));
      binds.add(new SqlStatement.Bind(seconds(p.delay()), Double.class));
      binds.add(
          new SqlStatement.Bind(
              p.notBefore() == null ? null : p.notBefore().toEpochMilli() / 1e3, Double.class));
      binds.add(bind(p.orderKey()));
      String insert = p.ids() ? sql.taskInsertManyReturning : sql.taskInsertMany;
      if (p.dedupeKey() != null) {
        insert = sql.taskInsertManyDeduped;
        binds.add(bind(p.dedupeKey()));
      }
      List<SqlStatement> statements = new ArrayList<>(2);
      statements.add(new SqlStatement(insert, binds.toArray(SqlStatement.Bind[]::new)));
      if (p.notifyChannel() != null) {
        statements.add(new SqlStatement(sql.taskNotify, bind(p.notifyChannel())));
      }
      if (!p.ids() && p.dedupeKey() == null) {
        // No ids wanted: only the count comes back, as cheap as a plain INSERT.
        return tx.update(statements).map(n -> new TaskInsertManyResult(n, List.of()));
      }
      return tx.execute(
              statements, r -> new TaskInsertManyRow(r.get(0, Long.class), r.get(1, String.class)))
          .collectList()
          .map(
              rows ->
                  new TaskInsertManyResult(
                      rows.stream().filter(r -> r.id() != null).count(), rows));
    }

    @Override
    public boolean afterCommit(Supplier<Mono<Void>> action) {
      return tx.afterCommit(action);
    }
  }

  private static SqlStatement.Bind bind(String value) {
    return new SqlStatement.Bind(value, String.class);
  }

  private static Double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static SqlStatement.Bind[] tokenBinds(TaskTokens p, int size) {
    SqlStatement.Bind[] binds = new SqlStatement.Bind[size];
    binds[0] = new SqlStatement.Bind(boxed(p.ids()), Long[].class);
    Integer[] attempts = new Integer[p.attempts().length];
    for (int i = 0; i < attempts.length; i++) {
      attempts[i] = p.attempts()[i];
    }
    binds[1] = new SqlStatement.Bind(attempts, Integer[].class);
    binds[2] = bind(p.owner());
    return binds;
  }

  private static SqlStatement.Bind[] filterBinds(DeadTaskFilter p) {
    return new SqlStatement.Bind[] {
      new SqlStatement.Bind(p.ids() == null ? null : boxed(p.ids()), Long[].class),
      bind(p.signal()),
      bind(p.receiver())
    };
  }

  private static Long[] boxed(long[] values) {
    Long[] boxed = new Long[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return boxed;
  }
}
