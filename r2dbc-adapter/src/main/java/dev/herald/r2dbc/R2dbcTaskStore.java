package dev.herald.r2dbc;

import dev.herald.NoTransactionException;
import dev.herald.spi.SenderTransaction;
import dev.herald.spi.SqlRow;
import dev.herald.spi.SqlStatement;
import dev.herald.spi.SqlTaskStore;
import dev.herald.spi.TableName;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;
import reactor.util.retry.Retry;

/**
 * Herald's task store on R2DBC PostgreSQL.
 *
 * <p>{@code sendReliable} finds the caller's transaction in this order:
 *
 * <ol>
 *   <li>a connection bound with {@link #transaction(Connection)} or by {@link
 *       #inTransaction(Function)} (rejected if it is in autocommit mode: no transaction is open);
 *   <li>a Spring reactive transaction ({@code TransactionalOperator}, {@code @Transactional}) on
 *       this store's connection factory, when spring-r2dbc is on the classpath. The factory given
 *       to the builder must be the very instance the {@code R2dbcTransactionManager} uses;
 *   <li>otherwise the send fails with {@link NoTransactionException} and writes nothing.
 * </ol>
 *
 * <p>Dispatcher work (claims, completions, retries) runs on short autocommit statements from the
 * connection factory, or from {@link Builder#dispatcherConnectionFactory} when one is given: a pool
 * of its own keeps the dispatcher running while the application's senders saturate theirs. Wakeups
 * come from {@code LISTEN} on a dedicated, non-pooled connection that reconnects with backoff and
 * emits a catch-up wakeup after every (re)connect. Thread-safe.
 */
public final class R2dbcTaskStore extends SqlTaskStore {

  private static final Logger log = LoggerFactory.getLogger(R2dbcTaskStore.class);
  private static final Object BOUND = Bound.class;
  private static final boolean SPRING_PRESENT =
      isPresent("org.springframework.r2dbc.connection.ConnectionFactoryUtils");

  private final ConnectionFactory connectionFactory;
  private final ConnectionFactory dispatcherFactory;
  private final ConnectionFactory listenerFactory;
  private final Duration heartbeat;

  private R2dbcTaskStore(Builder b) {
    super(b.table);
    this.connectionFactory = b.connectionFactory;
    this.dispatcherFactory =
        b.dispatcherFactory != null ? b.dispatcherFactory : b.connectionFactory;
    this.listenerFactory = b.listenerFactory;
    this.heartbeat = b.heartbeat;
  }

  /**
   * A store on the default table {@code herald_task}.
   *
   * @param connectionFactory usually an r2dbc-pool {@link ConnectionPool} over PostgreSQL
   * @return the store
   */
  public static R2dbcTaskStore create(ConnectionFactory connectionFactory) {
    return builder(connectionFactory).build();
  }

  /**
   * Starts building a store.
   *
   * @param connectionFactory usually an r2dbc-pool {@link ConnectionPool} over PostgreSQL; with
   *     Spring, the same instance as the transaction manager's
   * @return a builder
   */
  public static Builder builder(ConnectionFactory connectionFactory) {
    return new Builder(connectionFactory);
  }

  /**
   * Binds a connection with an open transaction for {@code sendReliable}: {@code
   * signal.sendReliable(p).contextWrite(R2dbcTaskStore.transaction(connection))}. Herald writes on
   * it and never commits, rolls back or closes it. Herald cannot observe this connection's commit,
   * so every such send carries a {@code NOTIFY} inside the transaction (unless the notify mode is
   * {@code NONE}): it wakes every listening dispatcher, this process's too, when the transaction
   * commits. {@link #inTransaction(Function)} and Spring transactions avoid that per-transaction
   * cost: their commits are observed.
   *
   * @param connection a connection inside {@code beginTransaction()}
   * @return a context to write into the sending subscription
   */
  public static ContextView transaction(Connection connection) {
    return Context.of(BOUND, new Bound(Objects.requireNonNull(connection, "connection"), null));
  }

  /**
   * Runs {@code work} in a new transaction on a connection from this store's factory, with that
   * connection bound for {@code sendReliable}. Commits when {@code work} completes, rolls back when
   * it fails or is cancelled, and wakes this process's dispatcher right after the commit.
   *
   * @param work the business code; it receives the transaction's connection for its own writes
   * @param <T> its result
   * @return {@code work}'s result, after commit
   */
  public <T> Mono<T> inTransaction(Function<Connection, Mono<T>> work) {
    Objects.requireNonNull(work, "work");
    return Mono.usingWhen(
        Mono.from(connectionFactory.create()),
        conn -> {
          Bound bound = new Bound(conn, new AfterCommit());
          return Mono.usingWhen(
              Mono.from(conn.beginTransaction()).thenReturn(bound),
              b -> Mono.defer(() -> work.apply(conn)).contextWrite(Context.of(BOUND, b)),
              b -> Mono.from(conn.commitTransaction()).then(Mono.defer(b.afterCommit::run)),
              (b, error) -> Mono.from(conn.rollbackTransaction()),
              b -> Mono.from(conn.rollbackTransaction()));
        },
        conn -> Mono.from(conn.close()));
  }

  @Override
  public Mono<SenderTransaction> senderTransaction(ContextView context, String signal) {
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
          Mono<SenderTransaction> none =
              Mono.error(
                  new NoTransactionException(
                      signal,
                      SPRING_PRESENT
                          ? "no Spring reactive transaction on this store's ConnectionFactory and no"
                              + " connection bound with R2dbcTaskStore.transaction(connection)"
                          : "no connection bound with R2dbcTaskStore.transaction(connection) or"
                              + " R2dbcTaskStore.inTransaction(...)"));
          return SPRING_PRESENT
              ? SpringTransactions.find(connectionFactory, this).switchIfEmpty(none)
              : none;
        });
  }

  @Override
  public Flux<Object> wakeups() {
    if (listenerFactory == null) {
      return Flux.never();
    }
    String listen = "LISTEN " + channel();
    return Flux.usingWhen(
            Mono.from(listenerFactory.create()).cast(PostgresqlConnection.class),
            conn ->
                Flux.from(conn.createStatement(listen).execute())
                    .flatMap(Result::getRowsUpdated)
                    .thenMany(
                        Flux.merge(
                            Mono.just((Object) "listening"),
                            conn.getNotifications().onBackpressureLatest(),
                            heartbeat(conn))),
            conn -> Mono.from(conn.close()),
            (conn, error) -> Mono.from(conn.close()).onErrorResume(e -> Mono.empty()),
            conn -> Mono.from(conn.close()).onErrorResume(e -> Mono.empty()))
        .doOnError(
            e -> log.warn("Herald listener on {} lost: {}; reconnecting", channel(), e.toString()))
        .retryWhen(
            Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100))
                .maxBackoff(Duration.ofSeconds(5))
                .transientErrors(true));
  }

  // Half-open TCP raises nothing until keepalive fires; a periodic query notices sooner.
  private Flux<Object> heartbeat(PostgresqlConnection conn) {
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
  protected <T> Flux<T> query(SqlStatement statement, Function<SqlRow, T> mapper) {
    return Flux.usingWhen(
        dispatcherFactory.create(),
        conn ->
            Flux.from(bind(conn.createStatement(statement.sql()), statement).execute())
                .concatMap(r -> r.map((row, meta) -> mapper.apply(row::get))),
        Connection::close);
  }

  @Override
  protected Mono<Long> update(SqlStatement statement) {
    return Mono.usingWhen(
        dispatcherFactory.create(), conn -> execute(conn, statement), Connection::close);
  }

  @Override
  protected Mono<Void> executeScript(String script) {
    return Mono.usingWhen(
        dispatcherFactory.create(),
        conn ->
            Flux.from(conn.createStatement(script).execute())
                .concatMap(r -> r.map((row, meta) -> 1))
                .then(),
        Connection::close);
  }

  Mono<Void> insert(Connection conn, dev.herald.spi.TaskInsertManyParams params) {
    return Flux.fromIterable(insertStatements(params)).concatMap(s -> execute(conn, s)).then();
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
      Class.forName(className, false, R2dbcTaskStore.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** A connection bound for sending, with the commit hooks of Herald's own transactions. */
  private record Bound(Connection connection, AfterCommit afterCommit) {}

  /** The caller's transaction on an R2DBC connection. */
  final class ConnectionTransaction implements SenderTransaction {
    private final Connection connection;
    private final AfterCommit afterCommit;

    ConnectionTransaction(Connection connection, AfterCommit afterCommit) {
      this.connection = connection;
      this.afterCommit = afterCommit;
    }

    @Override
    public Mono<Void> taskInsertMany(dev.herald.spi.TaskInsertManyParams params) {
      return insert(connection, params);
    }

    @Override
    public boolean afterCommit(java.util.function.Supplier<Mono<Void>> action) {
      if (afterCommit == null) {
        return false;
      }
      afterCommit.add(action);
      return true;
    }
  }

  /** Builds an {@link R2dbcTaskStore}. */
  public static final class Builder {
    private final ConnectionFactory connectionFactory;
    private ConnectionFactory dispatcherFactory;
    private TableName table = TableName.parse(TableName.DEFAULT);
    private ConnectionFactory listenerFactory;
    private boolean listen = true;
    private Duration heartbeat = Duration.ofSeconds(30);

    private Builder(ConnectionFactory connectionFactory) {
      this.connectionFactory = Objects.requireNonNull(connectionFactory, "connectionFactory");
    }

    /**
     * The task table: a plain identifier, optionally schema-qualified. Defaults to {@code
     * herald_task}.
     *
     * @param tableName for example {@code herald_task} or {@code app.herald_task}
     * @return this builder
     * @throws IllegalArgumentException if it is not a plain identifier
     */
    public Builder tableName(String tableName) {
      this.table = TableName.parse(tableName);
      return this;
    }

    /**
     * Where the dispatcher's statements (claims, acknowledgements, retries, lease extensions) and
     * the schema script run, if not on the store's connection factory. Senders always write on
     * their own transaction, and {@link R2dbcTaskStore#inTransaction(Function)} and Spring
     * transactions use the store's factory, so this may be a small pool of its own (a few
     * connections suffice: the dispatcher has at most two claims and two acknowledgements in
     * flight). Give one when senders may saturate the application's pool: the dispatcher's calls
     * would otherwise queue behind every waiting send, and delivery would stall while sending
     * peaks. Herald does not close it. Defaults to the store's connection factory.
     *
     * @param dispatcherFactory usually an r2dbc-pool {@link ConnectionPool} of a few connections
     * @return this builder
     */
    public Builder dispatcherConnectionFactory(ConnectionFactory dispatcherFactory) {
      this.dispatcherFactory =
          Objects.requireNonNull(dispatcherFactory, "dispatcherConnectionFactory");
      return this;
    }

    /**
     * The factory of the dedicated {@code LISTEN} connection. Defaults to the factory behind an
     * r2dbc-pool {@link ConnectionPool}, or the given factory itself if it is a {@link
     * PostgresqlConnectionFactory}. A pooled connection must not be used: the pool may close or
     * reuse it, and {@code LISTEN} is session state.
     *
     * @param listenerFactory a non-pooled PostgreSQL connection factory
     * @return this builder
     */
    public Builder listenerConnectionFactory(ConnectionFactory listenerFactory) {
      this.listenerFactory = Objects.requireNonNull(listenerFactory, "listenerConnectionFactory");
      return this;
    }

    /**
     * Whether to listen for {@code NOTIFY} at all. Defaults to true; without it dispatchers rely on
     * in-process wakeups and polling.
     *
     * @param listen false to disable the listener
     * @return this builder
     */
    public Builder listen(boolean listen) {
      this.listen = listen;
      return this;
    }

    /**
     * Interval of the listener's heartbeat query. Defaults to 30 s.
     *
     * @param heartbeat positive
     * @return this builder
     */
    public Builder listenerHeartbeat(Duration heartbeat) {
      Objects.requireNonNull(heartbeat, "listenerHeartbeat");
      if (heartbeat.isZero() || heartbeat.isNegative()) {
        throw new IllegalArgumentException(
            "listenerHeartbeat must be positive, but was " + heartbeat);
      }
      this.heartbeat = heartbeat;
      return this;
    }

    /**
     * Builds the store.
     *
     * @return the store
     * @throws IllegalArgumentException if listening is on and no non-pooled factory can be found
     */
    public R2dbcTaskStore build() {
      if (!listen) {
        listenerFactory = null;
      } else if (listenerFactory == null) {
        if (connectionFactory instanceof ConnectionPool pool) {
          listenerFactory = pool.unwrap();
        } else if (connectionFactory instanceof PostgresqlConnectionFactory) {
          listenerFactory = connectionFactory;
        } else {
          throw new IllegalArgumentException(
              "listenerConnectionFactory must be set: cannot derive a non-pooled PostgreSQL"
                  + " connection factory from "
                  + connectionFactory.getClass().getName()
                  + " (or disable listening with listen(false))");
        }
      }
      return new R2dbcTaskStore(this);
    }
  }
}
