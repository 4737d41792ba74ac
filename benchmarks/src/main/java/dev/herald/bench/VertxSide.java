package dev.herald.bench;

import dev.herald.SendOptions;
import dev.herald.Signal;
import dev.herald.Store;
import dev.herald.vertx.VertxTaskStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * Herald on Vert.x 5: a {@code PgBuilder} pool with cached prepared statements, transactions the
 * Vert.x way ({@code pool.withTransaction}) and {@code VertxTaskStore.sendReliable(conn, …)}.
 */
final class VertxSide implements HeraldSide {

  private static final String INSERT_ORDER =
      "INSERT INTO " + Tables.ORDER + " (ref, amount_cents) VALUES ($1, $2)";
  // Vert.x binds a String for a jsonb parameter as a JSON string; text then a cast keeps it JSON.
  private static final String INSERT_OUTBOX =
      "INSERT INTO " + Tables.OUTBOX + " (topic, payload) VALUES ($1, $2::text::jsonb)";

  private final Vertx vertx;
  private final Pool pool;
  private final Pool dispatcherPool;
  private final VertxTaskStore store;

  VertxSide(BenchDatabase db, String table, int poolSize) {
    vertx = Vertx.vertx();
    PgConnectOptions options =
        new PgConnectOptions()
            .setHost(db.host)
            .setPort(db.port)
            .setDatabase(db.database)
            .setUser(db.user)
            .setPassword(db.password)
            .setCachePreparedStatements(true)
            .addProperty("application_name", "herald-bench");
    pool = pool(options, poolSize);
    VertxTaskStore.Builder b = VertxTaskStore.builder(pool, vertx, options).tableName(table);
    dispatcherPool =
        HeraldSide.DISPATCHER_POOL > 0 ? pool(options, HeraldSide.DISPATCHER_POOL) : null;
    if (dispatcherPool != null) {
      b.dispatcherPool(dispatcherPool);
    }
    store = b.build();
  }

  private Pool pool(PgConnectOptions options, int size) {
    // No wait timer on a queued pool request: in Vert.x 5.0.x its expiry can race the grant
    // (eclipse-vertx/vert.x#6169, "Promise already completed") and lose a send, which the soak
    // then reports as a send that never committed. The senders shed on their own bound instead, and
    // Herald's own calls carry storeTimeout.
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size).setConnectionTimeout(0))
        .connectingTo(options)
        .using(vertx)
        .build();
  }

  @Override
  public String label() {
    return "Herald Vert.x";
  }

  @Override
  public Store store() {
    return store;
  }

  @Override
  public Mono<Void> orderOnly(long seq) {
    return inTransaction(conn -> insertOrder(conn, seq));
  }

  @Override
  public Mono<Void> orderAndPlainInsert(long seq, String payloadJson) {
    return inTransaction(
        conn ->
            insertOrder(conn, seq)
                .compose(
                    v ->
                        conn.preparedQuery(INSERT_OUTBOX)
                            .execute(Tuple.of("order.placed", payloadJson))
                            .<Void>mapEmpty()));
  }

  @Override
  public Mono<Void> orderAndSend(long seq, Signal<OrderPlaced> signal, OrderPlaced payload) {
    return inTransaction(conn -> orderThenSend(conn, seq, signal, payload));
  }

  @Override
  public Mono<Void> orderAndSend(
      long seq, Signal<OrderPlaced> signal, OrderPlaced payload, SendOptions options) {
    return inTransaction(
        conn ->
            insertOrder(conn, seq)
                .compose(v -> VertxTaskStore.sendReliable(conn, signal, payload, options))
                .mapEmpty());
  }

  @Override
  public Mono<Void> ordersAndSends(long firstSeq, int count, Signal<OrderPlaced> signal) {
    return inTransaction(
        conn -> {
          // One after the other on the transaction's connection, as a business transaction would.
          Future<Void> all = Future.succeededFuture();
          for (int j = 0; j < count; j++) {
            long seq = firstSeq + j;
            all = all.compose(v -> orderThenSend(conn, seq, signal, OrderPlaced.of(seq)));
          }
          return all;
        });
  }

  private static Future<Void> orderThenSend(
      SqlConnection conn, long seq, Signal<OrderPlaced> signal, OrderPlaced payload) {
    return insertOrder(conn, seq).compose(v -> VertxTaskStore.sendReliable(conn, signal, payload));
  }

  private Mono<Void> inTransaction(Function<SqlConnection, Future<Void>> work) {
    return Mono.fromCompletionStage(() -> pool.withTransaction(work::apply).toCompletionStage());
  }

  private static Future<Void> insertOrder(SqlConnection conn, long seq) {
    return conn.preparedQuery(INSERT_ORDER)
        .execute(Tuple.of("order-" + seq, 100 + seq % 10_000))
        .mapEmpty();
  }

  @Override
  public void close() {
    try {
      pool.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      if (dispatcherPool != null) {
        dispatcherPool.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("closing Vert.x failed", e);
    }
  }
}
