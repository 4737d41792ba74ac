package dev.herald.it;

import dev.herald.Herald;
import dev.herald.HeraldOptions;
import dev.herald.Store;
import dev.herald.fixtures.R2dbcConnections;
import dev.herald.fixtures.R2dbcSql;
import dev.herald.fixtures.TestDatabase;
import dev.herald.fixtures.VertxConnections;
import dev.herald.r2dbc.R2dbcTaskStore;
import dev.herald.testkit.KitStore;
import dev.herald.testkit.StoreFixture;
import dev.herald.vertx.VertxTaskStore;
import io.r2dbc.pool.ConnectionPool;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Flux;

/**
 * One fresh task table served by both adapters, as a mixed fleet runs it during a migration from
 * one driver to the other: a Vert.x store on a pipelined pool and an R2DBC store on a pool of its
 * own, each built through its public entry point.
 */
public final class Fleet implements AutoCloseable {

  /** The shared table. */
  public final String table = TestDatabase.freshTable();

  /** The table through Vert.x PgClient. */
  public final VertxTaskStore vertxStore;

  /** The table through R2DBC. */
  public final R2dbcTaskStore r2dbcStore;

  private final Vertx vertx;
  private final Pool vertxPool;
  private final ConnectionPool r2dbcPool;
  private final List<Herald> heralds = new CopyOnWriteArrayList<>();

  /**
   * Builds both stores and installs the schema.
   *
   * @param name the connections' application name prefix
   * @param r2dbcConnections the R2DBC pool's size
   */
  public Fleet(String name, int r2dbcConnections) {
    PgConnectOptions options = VertxConnections.options(name + "-vertx", 256, true);
    vertx = Vertx.vertx();
    vertxPool =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(16))
            .connectingTo(options)
            .using(vertx)
            .build();
    r2dbcPool = R2dbcConnections.pool(name + "-r2dbc", r2dbcConnections, Duration.ofSeconds(30));
    vertxStore = VertxTaskStore.builder(vertxPool, vertx, options).tableName(table).build();
    r2dbcStore = R2dbcTaskStore.builder(r2dbcPool).tableName(table).build();
    KitStore.operations(r2dbcStore).installSchema().block(Duration.ofSeconds(60));
  }

  /**
   * A node of the fleet, closed with it.
   *
   * @param store which adapter it runs on
   * @param options its options
   * @return a built, not yet started instance
   */
  public Herald node(Store store, UnaryOperator<HeraldOptions.Builder> options) {
    Herald herald =
        Herald.builder(store).options(options.apply(HeraldOptions.builder()).build()).build();
    heralds.add(herald);
    return herald;
  }

  /**
   * Rows left in the table, whatever their state.
   *
   * @return the count
   */
  public long rowsLeft() {
    return R2dbcSql.query(r2dbcPool, "SELECT count(*) FROM " + table, Long.class)
        .blockFirst(Duration.ofSeconds(30));
  }

  @Override
  public void close() {
    Flux.fromIterable(heralds).flatMap(Herald::close).then().block(Duration.ofSeconds(60));
    R2dbcSql.execute(r2dbcPool, StoreFixture.dropTables(table)).block(Duration.ofSeconds(30));
    R2dbcSql.execute(r2dbcPool, StoreFixture.dropFunctions(table)).block(Duration.ofSeconds(30));
    vertxPool.close().toCompletionStage().toCompletableFuture().join();
    r2dbcPool.dispose();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
