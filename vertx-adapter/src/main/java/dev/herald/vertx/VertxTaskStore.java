package dev.herald.vertx;

import dev.herald.NoTransactionException;
import dev.herald.SendOptions;
import dev.herald.SendReceipt;
import dev.herald.Signal;
import dev.herald.Store;
import dev.herald.spi.SqlStoreBuilder;
import dev.herald.spi.SqlStoreOptions;
import dev.herald.spi.SqlTaskStore;
import dev.herald.spi.TaskStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Herald's task store on the Vert.x 5 PostgreSQL client.
 *
 * <p>{@code sendReliable} writes on the caller's transaction, which is always an explicit {@link
 * SqlConnection} (Vert.x's {@code TransactionPropagation.CONTEXT} needs a Vert.x thread, which
 * Reactor operators do not guarantee):
 *
 * <ul>
 *   <li>the Vert.x way: {@link #sendReliable(SqlConnection, Signal, Object)} inside {@code
 *       pool.withTransaction(conn -> …)}, returning a Vert.x {@link Future};
 *   <li>the Reactor way: {@code
 *       signal.sendReliable(p).contextWrite(VertxTaskStore.transaction(conn))}, or {@link
 *       #inTransaction(Function)}, Herald's own transaction helper;
 *   <li>a connection without an open transaction ({@code conn.transaction() == null}) is rejected
 *       with {@link NoTransactionException} and nothing is written; so is a send with no connection
 *       bound at all.
 * </ul>
 *
 * <p>In every case the tasks commit or roll back with the caller's transaction, and this process's
 * dispatcher is woken in memory right after the commit (through {@link Transaction#completion()}),
 * without waiting for a {@code NOTIFY} or a poll.
 *
 * <p>Dispatcher work (claims, completions, retries) runs as single autocommit statements on the
 * {@link Pool}, or on {@link Builder#dispatcherPool(Pool)} when one is given: a pool of its own
 * keeps the dispatcher running while the application's senders saturate theirs. Wakeups from other
 * processes come from a {@link PgSubscriber}: its own dedicated connection (never a pooled one:
 * {@code LISTEN} is session state) that reconnects forever with a capped backoff, emits a catch-up
 * wakeup after every (re)connect, and replaces a connection that stops answering its periodic
 * {@code SELECT 1}. Every Vert.x {@link Future} is bridged lazily: each subscription to a returned
 * {@code Mono} or {@code Flux} runs a new database operation, and nothing ever blocks a Vert.x
 * event loop or a Reactor thread. Results are signalled on Vert.x event loop threads. Thread-safe.
 */
public final class VertxTaskStore extends Store {

  private static final Logger log = LoggerFactory.getLogger(VertxTaskStore.class);

  private final Pool pool;
  private final TaskStore operations;

  private VertxTaskStore(Pool pool, TaskStore operations) {
    super(operations);
    this.pool = pool;
    this.operations = operations;
  }

  private static VertxTaskStore of(Builder b) {
    VertxDriver driver =
        new VertxDriver(
            b.dispatcherPool != null ? b.dispatcherPool : b.pool, b.vertx, b.connectOptions);
    return new VertxTaskStore(b.pool, SqlTaskStore.create(driver, b.shared()));
  }

  /** The operations, for this adapter's tests. */
  TaskStore operations() {
    return operations;
  }

  /**
   * A store on the default table {@code herald_task}, listening for {@code NOTIFY}.
   *
   * @param pool a pool built with {@link PgBuilder#pool()}: the dispatcher runs single autocommit
   *     statements on it and {@link #inTransaction(Function)} borrows its connections
   * @param vertx the Vert.x instance, for the listener
   * @param connectOptions where the listener's own connection goes: usually the options the pool
   *     was built with; it must reach PostgreSQL directly, not through a transaction-pooling proxy,
   *     since {@code LISTEN} is session state
   * @return the store
   */
  public static VertxTaskStore create(Pool pool, Vertx vertx, PgConnectOptions connectOptions) {
    return builder(pool, vertx, connectOptions).build();
  }

  /**
   * Starts building a store.
   *
   * @param pool a pool built with {@link PgBuilder#pool()}
   * @param vertx the Vert.x instance, for the listener
   * @param connectOptions where the listener's own connection goes (see {@link #create})
   * @return a builder
   */
  public static Builder builder(Pool pool, Vertx vertx, PgConnectOptions connectOptions) {
    return new Builder(pool, vertx, connectOptions);
  }

  /**
   * Binds the caller's connection for {@code sendReliable}: {@code
   * signal.sendReliable(p).contextWrite(VertxTaskStore.transaction(conn))}. Herald writes on it and
   * never commits, rolls back or closes it. The connection must have an open transaction when the
   * send is subscribed (inside {@code pool.withTransaction(…)}, or after {@code conn.begin()}),
   * otherwise the send fails with {@link NoTransactionException} and writes nothing.
   *
   * @param conn the caller's connection
   * @return a context to write into the sending subscription
   */
  public static ContextView transaction(SqlConnection conn) {
    return reactor.util.context.Context.of(
        VertxDriver.BOUND, new VertxDriver.Bound(Objects.requireNonNull(conn, "conn")));
  }

  /**
   * Sends a signal on the caller's transaction, the Vert.x way:
   *
   * <pre>{@code
   * pool.withTransaction(conn ->
   *     orders.save(conn, order)
   *         .compose(v -> VertxTaskStore.sendReliable(conn, paymentCompleted, event)))
   * }</pre>
   *
   * <ul>
   *   <li>The transaction commits: every task exists, each receiver runs at least once, and this
   *       process's dispatcher is woken right after the commit.
   *   <li>It rolls back: no task ever existed and no receiver runs.
   *   <li>{@code conn} has no open transaction: the future fails with {@link
   *       NoTransactionException} and nothing is written.
   * </ul>
   *
   * <p>Eager, like every Vert.x {@code Future}: the insert starts at once. The future completes on
   * the calling Vert.x context (on no particular thread when called from outside Vert.x). Never
   * blocks.
   *
   * @param conn the transaction's connection
   * @param signal the signal
   * @param payload the payload, not null
   * @param <T> the payload type
   * @return completes when the tasks are written into the transaction
   */
  public static <T> Future<Void> sendReliable(SqlConnection conn, Signal<T> signal, T payload) {
    return sendReliable(conn, signal, payload, Map.of());
  }

  /**
   * Sends a signal with headers on the caller's transaction; see {@link
   * #sendReliable(SqlConnection, Signal, Object)}.
   *
   * @param conn the transaction's connection
   * @param signal the signal
   * @param payload the payload, not null
   * @param headers string headers delivered with it (for example {@code traceparent})
   * @param <T> the payload type
   * @return completes when the tasks are written into the transaction
   */
  public static <T> Future<Void> sendReliable(
      SqlConnection conn, Signal<T> signal, T payload, Map<String, String> headers) {
    Objects.requireNonNull(signal, "signal");
    // The plain send: no receipt wanted, so the statement answers no ids (a RETURNING clause and
    // its rows cost the sender about a third of its rate).
    return future(signal.sendReliable(payload, headers).contextWrite(transaction(conn)));
  }

  /**
   * Sends a signal with options (headers, a delay, dedupe and ordering keys) on the caller's
   * transaction; see {@link #sendReliable(SqlConnection, Signal, Object)} and {@link
   * Signal#sendReliable(Object, SendOptions)}.
   *
   * @param conn the transaction's connection
   * @param signal the signal
   * @param payload the payload, not null
   * @param options how the tasks are delivered
   * @param <T> the payload type
   * @return the tasks written into the transaction, by receiver
   */
  public static <T> Future<SendReceipt> sendReliable(
      SqlConnection conn, Signal<T> signal, T payload, SendOptions options) {
    Objects.requireNonNull(signal, "signal");
    return future(signal.sendReliable(payload, options).contextWrite(transaction(conn)));
  }

  // Completes on the calling Vert.x context, or on no particular thread outside Vert.x.
  private static <T> Future<T> future(Mono<T> send) {
    Context context = Vertx.currentContext();
    CompletableFuture<T> sent = send.toFuture();
    return context == null
        ? Future.fromCompletionStage(sent)
        : Future.fromCompletionStage(sent, context);
  }

  /**
   * Runs {@code work} in a new transaction on a connection from this store's pool, with that
   * connection bound for {@code sendReliable}: the Reactor counterpart of {@code
   * pool.withTransaction}.
   *
   * <ul>
   *   <li>{@code work} completes: the transaction commits, then the result is emitted; this
   *       process's dispatcher is woken right after the commit.
   *   <li>{@code work} fails, or the subscription is cancelled: it rolls back (the original error
   *       is propagated) and no receiver runs.
   *   <li>The commit fails: that error is propagated; the tasks never existed.
   * </ul>
   *
   * <p>Cold: each subscription borrows a connection and runs its own transaction; the connection
   * goes back to the pool afterwards. Never blocks.
   *
   * @param work the business code; it receives the transaction's connection for its own writes
   * @param <T> its result
   * @return {@code work}'s result, after commit
   */
  public <T> Mono<T> inTransaction(Function<SqlConnection, Mono<T>> work) {
    Objects.requireNonNull(work, "work");
    return Mono.usingWhen(
        Bridge.mono(pool::getConnection),
        conn ->
            Mono.usingWhen(
                Bridge.mono(conn::begin),
                tx -> Mono.defer(() -> work.apply(conn)).contextWrite(transaction(conn)),
                tx -> Bridge.mono(tx::commit),
                (tx, error) -> rollback(tx),
                tx -> rollback(tx)),
        conn -> Bridge.mono(conn::close));
  }

  // A failed statement has already rolled the transaction back inside Vert.x; a second rollback
  // then fails, and must not hide the error that caused it.
  private static Mono<Void> rollback(Transaction tx) {
    return Bridge.mono(tx::rollback)
        .onErrorResume(
            e -> {
              log.debug("Herald's rollback found the transaction already ended: {}", e.toString());
              return Mono.empty();
            });
  }

  /** Builds a {@link VertxTaskStore}. */
  public static final class Builder extends SqlStoreBuilder<Builder> {
    private final Pool pool;
    private Pool dispatcherPool;
    private final Vertx vertx;
    private final PgConnectOptions connectOptions;

    private Builder(Pool pool, Vertx vertx, PgConnectOptions connectOptions) {
      this.pool = Objects.requireNonNull(pool, "pool");
      this.vertx = Objects.requireNonNull(vertx, "vertx");
      this.connectOptions =
          new PgConnectOptions(Objects.requireNonNull(connectOptions, "connectOptions"));
    }

    /**
     * Where the dispatcher's statements (claims, acknowledgements, retries, lease extensions) and
     * the schema script run, if not on the store's pool. Senders always write on their own
     * connection, and {@link VertxTaskStore#inTransaction(Function)} borrows from the store's pool,
     * so this may be a small pool of its own (a few connections suffice: the dispatcher has at most
     * two claims and two acknowledgements in flight). Give one when senders may saturate the
     * application's pool: the dispatcher's calls would otherwise queue behind every waiting send,
     * and delivery would stall while sending peaks. Herald does not close it. Defaults to the
     * store's pool.
     *
     * @param dispatcherPool a pool built with {@link PgBuilder#pool()}
     * @return this builder
     */
    public Builder dispatcherPool(Pool dispatcherPool) {
      this.dispatcherPool = Objects.requireNonNull(dispatcherPool, "dispatcherPool");
      return this;
    }

    private SqlStoreOptions shared() {
      return storeOptions();
    }

    /**
     * Builds the store. No connection is opened until the store is used.
     *
     * @return the store
     */
    public VertxTaskStore build() {
      return of(this);
    }
  }
}
