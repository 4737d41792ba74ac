package dev.herald.r2dbc;

import dev.herald.NoTransactionException;
import dev.herald.Store;
import dev.herald.spi.SqlStoreBuilder;
import dev.herald.spi.SqlStoreOptions;
import dev.herald.spi.SqlTaskStore;
import dev.herald.spi.TaskStore;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import java.util.Objects;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

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
public final class R2dbcTaskStore extends Store {

  private final ConnectionFactory connectionFactory;
  private final TaskStore operations;

  private R2dbcTaskStore(Builder b, TaskStore operations) {
    super(operations);
    this.connectionFactory = b.connectionFactory;
    this.operations = operations;
  }

  private static R2dbcTaskStore of(Builder b) {
    R2dbcDriver driver =
        new R2dbcDriver(
            b.connectionFactory,
            b.dispatcherFactory != null ? b.dispatcherFactory : b.connectionFactory,
            b.listenerFactory);
    return new R2dbcTaskStore(b, SqlTaskStore.create(driver, b.shared()));
  }

  /** The operations, for this adapter's tests. */
  TaskStore operations() {
    return operations;
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
    return Context.of(
        R2dbcDriver.BOUND,
        new R2dbcDriver.Bound(Objects.requireNonNull(connection, "connection"), null));
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
          R2dbcDriver.Bound bound = new R2dbcDriver.Bound(conn, new AfterCommit());
          return Mono.usingWhen(
              Mono.from(conn.beginTransaction()).thenReturn(bound),
              b ->
                  Mono.defer(() -> work.apply(conn)).contextWrite(Context.of(R2dbcDriver.BOUND, b)),
              b -> Mono.from(conn.commitTransaction()).then(Mono.defer(b.afterCommit()::run)),
              (b, error) -> Mono.from(conn.rollbackTransaction()),
              b -> Mono.from(conn.rollbackTransaction()));
        },
        conn -> Mono.from(conn.close()));
  }

  /** Builds an {@link R2dbcTaskStore}. */
  public static final class Builder extends SqlStoreBuilder<Builder> {
    private final ConnectionFactory connectionFactory;
    private ConnectionFactory dispatcherFactory;
    private ConnectionFactory listenerFactory;

    private Builder(ConnectionFactory connectionFactory) {
      this.connectionFactory = Objects.requireNonNull(connectionFactory, "connectionFactory");
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

    private SqlStoreOptions shared() {
      return storeOptions();
    }

    /**
     * Builds the store.
     *
     * @return the store
     * @throws IllegalArgumentException if listening is on and no non-pooled factory can be found
     */
    public R2dbcTaskStore build() {
      if (!storeOptions().listen()) {
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
      return of(this);
    }
  }
}
