package dev.herald.vertx;

import dev.herald.Herald;
import dev.herald.fixtures.TestDatabase;
import dev.herald.fixtures.VertxConnections;
import dev.herald.spi.TaskStore;
import dev.herald.testkit.SqlStoreFixture;
import dev.herald.testkit.StoreFixture;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The conformance kit's fixture for {@link VertxTaskStore}: a fresh table per test, on a pool in
 * one client mode.
 */
final class VertxFixture implements SqlStoreFixture {

  /**
   * How the pool's connections talk to PostgreSQL.
   *
   * @param pipeliningLimit commands in flight per connection (1: no pipelining)
   * @param cachePreparedStatements whether statements are prepared once per connection (Vert.x's
   *     default is not to: each execution then parses its statement again)
   */
  record Mode(int pipeliningLimit, boolean cachePreparedStatements) {}

  /** Pipelining on: up to 256 commands in flight per connection. */
  static final Mode PIPELINED = new Mode(256, true);

  /** Pipelining off. */
  static final Mode SEQUENTIAL = new Mode(1, true);

  /** Vert.x's defaults: pipelining limit 256, no prepared statement cache. */
  static final Mode UNCACHED = new Mode(PgConnectOptions.DEFAULT_PIPELINING_LIMIT, false);

  private static Vertx vertx;
  private static final Map<Mode, Pool> POOLS = new ConcurrentHashMap<>();

  final String table = TestDatabase.freshTable();
  final Mode mode;
  private final VertxTaskStore store;
  private final List<Herald> heralds = new CopyOnWriteArrayList<>();

  VertxFixture(Mode mode) {
    this(mode, b -> b);
  }

  VertxFixture(Mode mode, UnaryOperator<VertxTaskStore.Builder> tune) {
    this.mode = mode;
    store = tune.apply(builder()).build();
    store.operations().installSchema().block(Duration.ofSeconds(30));
  }

  /** A builder for another store on this fixture's table and pool. */
  VertxTaskStore.Builder builder() {
    return VertxTaskStore.builder(pool(), vertx(), connectOptions(mode)).tableName(table);
  }

  static synchronized Vertx vertx() {
    if (vertx == null) {
      connectOptions(PIPELINED);
      vertx = Vertx.vertx();
    }
    return vertx;
  }

  static PgConnectOptions connectOptions(Mode mode) {
    return VertxConnections.options(
        "herald-vertx-tests", mode.pipeliningLimit(), mode.cachePreparedStatements());
  }

  Pool pool() {
    return POOLS.computeIfAbsent(
        mode,
        m ->
            PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(16))
                .connectingTo(connectOptions(m))
                .using(vertx())
                .build());
  }

  /** Closes the pools and Vert.x, for programs that end while the JVM goes on (exec:java). */
  static synchronized void shutdown() {
    POOLS.values().forEach(p -> p.close().toCompletionStage().toCompletableFuture().join());
    POOLS.clear();
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().join();
      vertx = null;
    }
  }

  @Override
  public TaskStore store() {
    return store.operations();
  }

  @Override
  public String table() {
    return table;
  }

  @Override
  public <T> List<T> column(String sql, Class<T> type) {
    return query(sql, type).collectList().block(Duration.ofSeconds(30));
  }

  @Override
  public boolean quotesChannel() {
    return true;
  }

  @Override
  public TaskStore storeWithoutListener() {
    return builder().listen(false).build().operations();
  }

  /** The adapter's public entry type, as an application holds it. */
  VertxTaskStore entry() {
    return store;
  }

  @Override
  public <T> Mono<T> inTransaction(Mono<T> work) {
    return store.inTransaction(conn -> work);
  }

  @Override
  public Mono<Void> insertRaw(String signal, String receiver, String payloadJson) {
    return execute(
            "INSERT INTO "
                + table
                + " (signal, receiver, payload) VALUES ($1, $2, $3::text::jsonb)",
            signal,
            receiver,
            payloadJson)
        .then();
  }

  @Override
  public Mono<Long> leasedBy(String owner) {
    return query(
            "SELECT count(*) FROM " + table + " WHERE locked_by = $1 AND locked_until > now()",
            Long.class,
            owner)
        .next();
  }

  Mono<Long> execute(String sql, Object... binds) {
    return Mono.fromCompletionStage(
            () -> pool().preparedQuery(sql).execute(Tuple.wrap(binds.clone())).toCompletionStage())
        .map(rows -> (long) rows.rowCount());
  }

  <T> Flux<T> query(String sql, Class<T> type, Object... binds) {
    return Mono.fromCompletionStage(
            () -> pool().preparedQuery(sql).execute(Tuple.wrap(binds.clone())).toCompletionStage())
        .flatMapIterable(rows -> rows)
        .map((Row row) -> row.get(type, 0));
  }

  @Override
  public boolean rotates() {
    return true;
  }

  @Override
  public Mono<Void> nextGeneration() {
    return Flux.fromIterable(StoreFixture.nextGenerationStatements(table))
        .concatMap(sql -> execute(sql))
        .then();
  }

  @Override
  public List<Herald> heralds() {
    return heralds;
  }

  @Override
  public void close() {
    SqlStoreFixture.super.close();
    execute(StoreFixture.dropTables(table)).block(Duration.ofSeconds(30));
    execute(StoreFixture.dropFunctions(table)).block(Duration.ofSeconds(30));
  }
}
