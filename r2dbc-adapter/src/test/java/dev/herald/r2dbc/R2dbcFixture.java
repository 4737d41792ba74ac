package dev.herald.r2dbc;

import dev.herald.Herald;
import dev.herald.fixtures.R2dbcConnections;
import dev.herald.fixtures.R2dbcSql;
import dev.herald.fixtures.TestDatabase;
import dev.herald.spi.TaskStore;
import dev.herald.testkit.SqlStoreFixture;
import dev.herald.testkit.StoreFixture;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The conformance kit's fixture for {@link R2dbcTaskStore}: a fresh table per test. */
final class R2dbcFixture implements SqlStoreFixture {

  private static ConnectionPool pool;

  final String table = TestDatabase.freshTable();
  private final R2dbcTaskStore store;
  private final List<Herald> heralds = new CopyOnWriteArrayList<>();

  R2dbcFixture() {
    this(b -> b);
  }

  R2dbcFixture(UnaryOperator<R2dbcTaskStore.Builder> tune) {
    store = tune.apply(R2dbcTaskStore.builder(pool()).tableName(table)).build();
    store.operations().installSchema().block(Duration.ofSeconds(30));
  }

  static synchronized ConnectionPool pool() {
    if (pool == null) {
      pool =
          new ConnectionPool(
              ConnectionPoolConfiguration.builder(rawFactory())
                  .initialSize(2)
                  .maxSize(24)
                  .maxAcquireTime(Duration.ofSeconds(30))
                  .build());
    }
    return pool;
  }

  static PostgresqlConnectionFactory rawFactory() {
    return R2dbcConnections.factory("herald-tests");
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
    return false;
  }

  @Override
  public TaskStore storeWithoutListener() {
    return R2dbcTaskStore.builder(pool()).tableName(table).listen(false).build().operations();
  }

  /** The adapter's public entry type, as an application holds it. */
  R2dbcTaskStore entry() {
    return store;
  }

  @Override
  public <T> Mono<T> inTransaction(Mono<T> work) {
    return store.inTransaction(conn -> work);
  }

  @Override
  public Mono<Void> insertRaw(String signal, String receiver, String payloadJson) {
    return execute(
            "INSERT INTO " + table + " (signal, receiver, payload) VALUES ($1, $2, $3::jsonb)",
            signal,
            receiver,
            payloadJson)
        .then();
  }

  @Override
  public Mono<Long> leasedBy(String owner) {
    return query(
            "SELECT count(*) FROM "
                + table
                + " WHERE locked_by = '"
                + owner.replace("'", "''")
                + "' AND locked_until > now()",
            Long.class)
        .next();
  }

  Mono<Long> execute(String sql, Object... binds) {
    return R2dbcSql.execute(pool(), sql, binds);
  }

  <T> Flux<T> query(String sql, Class<T> type) {
    return R2dbcSql.query(pool(), sql, type);
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
