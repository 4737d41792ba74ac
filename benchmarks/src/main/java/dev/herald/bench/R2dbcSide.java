package dev.herald.bench;

import dev.herald.SendOptions;
import dev.herald.Signal;
import dev.herald.Store;
import dev.herald.r2dbc.R2dbcTaskStore;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Result;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Herald on R2DBC: r2dbc-postgresql behind an r2dbc-pool, transactions by {@code inTransaction}.
 */
final class R2dbcSide implements HeraldSide {

  private static final String INSERT_ORDER =
      "INSERT INTO " + Tables.ORDER + " (ref, amount_cents) VALUES ($1, $2)";
  private static final String INSERT_OUTBOX =
      "INSERT INTO " + Tables.OUTBOX + " (topic, payload) VALUES ($1, $2::jsonb)";

  private final ConnectionPool pool;
  private final ConnectionPool dispatcherPool;
  private final R2dbcTaskStore store;

  R2dbcSide(BenchDatabase db, String table, int poolSize) {
    PostgresqlConnectionFactory factory =
        new PostgresqlConnectionFactory(
            PostgresqlConnectionConfiguration.builder()
                .host(db.host)
                .port(db.port)
                .database(db.database)
                .username(db.user)
                .password(db.password)
                .applicationName("herald-bench")
                .build());
    pool = pool(factory, poolSize);
    R2dbcTaskStore.Builder b = R2dbcTaskStore.builder(pool).tableName(table);
    dispatcherPool =
        HeraldSide.DISPATCHER_POOL > 0 ? pool(factory, HeraldSide.DISPATCHER_POOL) : null;
    if (dispatcherPool != null) {
      b.dispatcherConnectionFactory(dispatcherPool);
    }
    store = b.build();
  }

  private static ConnectionPool pool(PostgresqlConnectionFactory factory, int size) {
    return new ConnectionPool(
        ConnectionPoolConfiguration.builder(factory)
            .initialSize(Math.min(size, 4))
            .maxSize(size)
            .maxAcquireTime(Duration.ofSeconds(30))
            .build());
  }

  @Override
  public String label() {
    return "Herald R2DBC";
  }

  @Override
  public Store store() {
    return store;
  }

  @Override
  public Mono<Void> orderOnly(long seq) {
    return store.inTransaction(conn -> insertOrder(conn, seq));
  }

  @Override
  public Mono<Void> orderAndPlainInsert(long seq, String payloadJson) {
    return store.inTransaction(
        conn ->
            insertOrder(conn, seq)
                .then(
                    update(
                        conn.createStatement(INSERT_OUTBOX)
                            .bind(0, "order.placed")
                            .bind(1, payloadJson))));
  }

  @Override
  public Mono<Void> orderAndSend(long seq, Signal<OrderPlaced> signal, OrderPlaced payload) {
    return store.inTransaction(conn -> orderThenSend(conn, seq, signal, payload));
  }

  @Override
  public Mono<Void> orderAndSend(
      long seq, Signal<OrderPlaced> signal, OrderPlaced payload, SendOptions options) {
    return store.inTransaction(
        conn -> insertOrder(conn, seq).then(signal.sendReliable(payload, options)).then());
  }

  @Override
  public Mono<Void> ordersAndSends(long firstSeq, int count, Signal<OrderPlaced> signal) {
    return store.inTransaction(
        conn ->
            Flux.range(0, count)
                .concatMap(
                    j -> orderThenSend(conn, firstSeq + j, signal, OrderPlaced.of(firstSeq + j)))
                .then());
  }

  private static Mono<Void> orderThenSend(
      Connection conn, long seq, Signal<OrderPlaced> signal, OrderPlaced payload) {
    return insertOrder(conn, seq).then(signal.sendReliable(payload));
  }

  private static Mono<Void> insertOrder(Connection conn, long seq) {
    return update(
        conn.createStatement(INSERT_ORDER).bind(0, "order-" + seq).bind(1, 100 + seq % 10_000));
  }

  private static Mono<Void> update(io.r2dbc.spi.Statement statement) {
    return Flux.from(statement.execute()).flatMap(Result::getRowsUpdated).then();
  }

  @Override
  public void close() {
    pool.disposeLater().block(Duration.ofSeconds(30));
    if (dispatcherPool != null) {
      dispatcherPool.disposeLater().block(Duration.ofSeconds(30));
    }
  }
}
