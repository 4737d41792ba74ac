package dev.herald.vertx;

import dev.herald.NoTransactionException;
import dev.herald.spi.SqlDriver;
import dev.herald.spi.SqlRow;
import dev.herald.spi.SqlStatement;
import dev.herald.spi.SqlTransaction;
import dev.herald.spi.Wakeup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Herald's SQL driver on the Vert.x 5 PostgreSQL client: single autocommit statements on the
 * dispatcher's pool, the caller's transaction from an explicitly bound {@link SqlConnection}, and
 * {@code LISTEN} through a {@link Listener}. Every Vert.x {@link Future} is bridged lazily ({@link
 * Bridge}). Thread-safe.
 */
final class VertxDriver implements SqlDriver {

  static final Object BOUND = Bound.class;
  private static final Logger log = LoggerFactory.getLogger(VertxDriver.class);

  private final Pool dispatcherPool;
  private final Vertx vertx;
  private final PgConnectOptions listenerOptions;

  VertxDriver(Pool dispatcherPool, Vertx vertx, PgConnectOptions listenerOptions) {
    this.dispatcherPool = dispatcherPool;
    this.vertx = vertx;
    this.listenerOptions = listenerOptions;
  }

  @Override
  public Mono<SqlTransaction> transaction(ContextView context, String signal) {
    return Mono.defer(
        () -> {
          Bound bound = context.getOrDefault(BOUND, null);
          if (bound == null) {
            return Mono.error(
                new NoTransactionException(
                    signal,
                    "no SqlConnection bound: send inside pool.withTransaction(conn -> ...) with"
                        + " VertxTaskStore.sendReliable(conn, signal, payload), or write"
                        + " VertxTaskStore.transaction(conn) into the subscription's context"));
          }
          Transaction tx = bound.conn().transaction();
          if (tx == null) {
            return Mono.error(
                new NoTransactionException(
                    signal,
                    "the bound SqlConnection has no open transaction (conn.transaction() is null);"
                        + " use pool.withTransaction(...) or conn.begin() first"));
          }
          return Mono.just(new ConnectionTransaction(bound.conn(), tx));
        });
  }

  @Override
  public Flux<Wakeup> listen(String channel, Duration heartbeat) {
    return new Listener(vertx, listenerOptions, channel, heartbeat).session();
  }

  @Override
  public <T> Flux<T> query(SqlStatement statement, Function<SqlRow, T> mapper) {
    return execute(statement).flatMapIterable(rows -> mapped(rows, mapper));
  }

  private static <T> List<T> mapped(RowSet<Row> rows, Function<SqlRow, T> mapper) {
    List<T> mapped = new ArrayList<>(rows.size());
    VertxRow row = new VertxRow();
    for (Row r : rows) {
      mapped.add(mapper.apply(row.at(r)));
    }
    return mapped;
  }

  @Override
  public Mono<Long> update(SqlStatement statement) {
    return execute(statement).map(rows -> (long) rows.rowCount());
  }

  @Override
  public Mono<Void> executeScript(String script) {
    // query() (not preparedQuery) is the simple query protocol: the script runs as one implicit
    // transaction, serialized by the advisory lock it takes first.
    return Bridge.mono(() -> dispatcherPool.query(script).execute()).then();
  }

  private Mono<RowSet<Row>> execute(SqlStatement statement) {
    return Bridge.mono(
        () -> dispatcherPool.preparedQuery(statement.sql()).execute(tuple(statement)));
  }

  private static Tuple tuple(SqlStatement statement) {
    SqlStatement.Bind[] binds = statement.binds();
    // Nulls need no type here: Vert.x binds them with the type PostgreSQL infers for the parameter.
    Object[] values = new Object[binds.length];
    for (int i = 0; i < binds.length; i++) {
      values[i] = binds[i].value();
    }
    return Tuple.wrap(values);
  }

  /** A connection bound for sending. */
  record Bound(SqlConnection conn) {}

  /** The caller's transaction on a Vert.x connection. */
  private static final class ConnectionTransaction implements SqlTransaction {
    private final SqlConnection conn;
    private final Transaction tx;

    ConnectionTransaction(SqlConnection conn, Transaction tx) {
      this.conn = conn;
      this.tx = tx;
    }

    @Override
    public <T> Flux<T> execute(List<SqlStatement> statements, Function<SqlRow, T> firstRows) {
      return first(statements).flatMapIterable(rows -> mapped(rows, firstRows));
    }

    @Override
    public Mono<Long> update(List<SqlStatement> statements) {
      return first(statements).map(rows -> (long) rows.rowCount());
    }

    // All statements are queued on the connection at once: with pipelining they travel together,
    // without it the connection runs them one after the other; either way in order, in the
    // caller's transaction, and a failed statement fails the transaction before the next runs.
    private Mono<RowSet<Row>> first(List<SqlStatement> statements) {
      return Bridge.mono(
          () -> {
            List<Future<RowSet<Row>>> writes = new ArrayList<>(statements.size());
            for (SqlStatement s : statements) {
              writes.add(conn.preparedQuery(s.sql()).execute(tuple(s)));
            }
            return Future.all(writes).map(all -> writes.get(0).result());
          });
    }

    @Override
    public boolean afterCommit(Supplier<Mono<Void>> action) {
      // completion() succeeds only once COMMIT succeeded; a rollback fails it, and then the action
      // never runs.
      tx.completion()
          .onSuccess(
              v ->
                  action
                      .get()
                      .subscribe(
                          null,
                          e ->
                              log.warn(
                                  "Herald's after-commit wakeup failed; polling will find the"
                                      + " tasks",
                                  e)));
      return true;
    }
  }
}
