package dev.herald.r2dbc;

import dev.herald.NoTransactionException;
import dev.herald.spi.SqlDriver;
import dev.herald.spi.SqlRow;
import dev.herald.spi.SqlStatement;
import dev.herald.spi.SqlTransaction;
import dev.herald.spi.Wakeup;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Herald's SQL driver on R2DBC: statements on the dispatcher's connection factory, the caller's
 * transaction from the subscription's context or from Spring, {@code LISTEN} on a dedicated
 * connection. Thread-safe.
 */
final class R2dbcDriver implements SqlDriver {

  static final Object BOUND = Bound.class;
  private static final boolean SPRING_PRESENT =
      isPresent("org.springframework.r2dbc.connection.ConnectionFactoryUtils");

  private final ConnectionFactory connectionFactory;
  private final ConnectionFactory dispatcherFactory;
  private final ConnectionFactory listenerFactory;

  R2dbcDriver(
      ConnectionFactory connectionFactory,
      ConnectionFactory dispatcherFactory,
      ConnectionFactory listenerFactory) {
    this.connectionFactory = connectionFactory;
    this.dispatcherFactory = dispatcherFactory;
    this.listenerFactory = listenerFactory;
  }

  @Override
  public Mono<SqlTransaction> transaction(ContextView context, String signal) {
    return Mono.defer(
        () -> {
          Bound bound = context.getOrDefault(BOUND, null);
          if (bound != null) {
            if (bound.connection.isAutoCommit()) {
              return Mono.error(
                  new NoTransactionException(
                      signal,
                      "the bound connection is in autocommit mode; call beginTransaction() first"));
            }
            return Mono.just(new ConnectionTransaction(bound.connection, bound.afterCommit));
          }
          Mono<SqlTransaction> none =
              Mono.error(
                  new NoTransactionException(
                      signal,
                      SPRING_PRESENT
                          ? "no Spring reactive transaction on this store's ConnectionFactory and no"
                              + " connection bound with R2dbcTaskStore.transaction(connection)"
                          : "no connection bound with R2dbcTaskStore.transaction(connection) or"
                              + " R2dbcTaskStore.inTransaction(...)"));
          return SPRING_PRESENT
              ? SpringTransactions.find(connectionFactory).switchIfEmpty(none)
              : none;
        });
  }

  @Override
  public Flux<Wakeup> listen(String channel, Duration heartbeat) {
    String listen = "LISTEN " + channel;
    return Flux.usingWhen(
        Mono.from(listenerFactory.create()).cast(PostgresqlConnection.class),
        conn ->
            Flux.from(conn.createStatement(listen).execute())
                .flatMap(Result::getRowsUpdated)
                .thenMany(
                    Flux.merge(
                        Mono.just(Wakeup.LISTENING),
                        conn.getNotifications().onBackpressureLatest().map(n -> Wakeup.NOTIFIED),
                        heartbeat(conn, heartbeat))),
        conn -> Mono.from(conn.close()),
        (conn, error) -> Mono.from(conn.close()).onErrorResume(e -> Mono.empty()),
        conn -> Mono.from(conn.close()).onErrorResume(e -> Mono.empty()));
  }

  // Half-open TCP raises nothing until keepalive fires; a periodic query notices sooner.
  private static Flux<Wakeup> heartbeat(PostgresqlConnection conn, Duration heartbeat) {
    return Flux.interval(heartbeat)
        .onBackpressureDrop()
        .concatMap(
            t ->
                Flux.from(conn.createStatement("SELECT 1").execute())
                    .flatMap(r -> r.map((row, meta) -> 1))
                    .then()
                    .timeout(heartbeat))
        .thenMany(Flux.empty());
  }

  @Override
  public <T> Flux<T> query(SqlStatement statement, Function<SqlRow, T> mapper) {
    return Flux.usingWhen(
        dispatcherFactory.create(),
        conn ->
            Flux.from(bind(conn.createStatement(statement.sql()), statement).execute())
                .concatMap(r -> r.map((row, meta) -> mapper.apply(row::get))),
        Connection::close);
  }

  @Override
  public Mono<Long> update(SqlStatement statement) {
    return Mono.usingWhen(
        dispatcherFactory.create(), conn -> execute(conn, statement), Connection::close);
  }

  @Override
  public Mono<Void> executeScript(String script) {
    return Mono.usingWhen(
        dispatcherFactory.create(),
        conn ->
            Flux.from(conn.createStatement(script).execute())
                .concatMap(r -> r.map((row, meta) -> 1))
                .then(),
        Connection::close);
  }

  /**
   * Runs statements in order on a caller's connection, answering the first one's rows: the send
   * path of every transaction kind.
   */
  static <T> Flux<T> run(
      Connection conn, List<SqlStatement> statements, Function<SqlRow, T> firstRows) {
    Flux<T> first =
        Flux.from(bind(conn.createStatement(statements.get(0).sql()), statements.get(0)).execute())
            .concatMap(r -> r.map((row, meta) -> firstRows.apply(row::get)));
    Flux<Long> rest =
        Flux.fromIterable(statements.subList(1, statements.size()))
            .concatMap(s -> execute(conn, s));
    // The rows are collected before the rest runs: a connection answers one statement at a time.
    return first.collectList().flatMapMany(rows -> rest.thenMany(Flux.fromIterable(rows)));
  }

  /** Runs statements in order on a caller's connection, answering how many rows the first wrote. */
  static Mono<Long> update(Connection conn, List<SqlStatement> statements) {
    Flux<Long> rest =
        Flux.fromIterable(statements.subList(1, statements.size()))
            .concatMap(s -> execute(conn, s));
    return execute(conn, statements.get(0)).flatMap(n -> rest.then(Mono.just(n)));
  }

  private static Mono<Long> execute(Connection conn, SqlStatement statement) {
    return Flux.from(bind(conn.createStatement(statement.sql()), statement).execute())
        .concatMap(Result::getRowsUpdated)
        .reduce(0L, Long::sum);
  }

  private static Statement bind(Statement st, SqlStatement statement) {
    SqlStatement.Bind[] binds = statement.binds();
    for (int i = 0; i < binds.length; i++) {
      if (binds[i].value() == null) {
        st.bindNull(i, binds[i].type());
      } else {
        st.bind(i, binds[i].value());
      }
    }
    return st;
  }

  private static boolean isPresent(String className) {
    try {
      Class.forName(className, false, R2dbcDriver.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** A connection bound for sending, with the commit hooks of Herald's own transactions. */
  record Bound(Connection connection, AfterCommit afterCommit) {}

  /**
   * The caller's transaction on an R2DBC connection; {@code afterCommit} is null when Herald cannot
   * observe its commit.
   */
  static final class ConnectionTransaction implements SqlTransaction {
    private final Connection connection;
    private final AfterCommit afterCommit;

    ConnectionTransaction(Connection connection, AfterCommit afterCommit) {
      this.connection = connection;
      this.afterCommit = afterCommit;
    }

    @Override
    public <T> Flux<T> execute(List<SqlStatement> statements, Function<SqlRow, T> firstRows) {
      return run(connection, statements, firstRows);
    }

    @Override
    public Mono<Long> update(List<SqlStatement> statements) {
      return R2dbcDriver.update(connection, statements);
    }

    @Override
    public boolean afterCommit(Supplier<Mono<Void>> action) {
      if (afterCommit == null) {
        return false;
      }
      afterCommit.add(action);
      return true;
    }
  }
}
