package dev.herald.spi;

import java.time.Duration;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * What a PostgreSQL client library gives Herald: a few primitives, over which {@link SqlTaskStore}
 * builds, binds and runs every operation of {@link HeraldSql}. The SQL is the same for every
 * driver; a driver owns only its library's connections, binding, row access and transactions. Every
 * method is lazy (nothing happens until subscribed) and non-blocking.
 *
 * <p>Unstable SPI.
 */
public interface SqlDriver {

  /** The first delay before a lost listening session is started again; it doubles from here. */
  Duration LISTEN_FIRST_RETRY = Duration.ofMillis(100);

  /** The longest delay between attempts to start a listening session again. */
  Duration LISTEN_MAX_RETRY = Duration.ofSeconds(5);

  /**
   * Runs a query on a pooled connection of the dispatcher's, in autocommit.
   *
   * @param statement the statement
   * @param mapper reads one row; called while the row is current
   * @param <T> the mapped type
   * @return the mapped rows
   */
  <T> Flux<T> query(SqlStatement statement, Function<SqlRow, T> mapper);

  /**
   * Runs a write on a pooled connection of the dispatcher's, in autocommit.
   *
   * @param statement the statement
   * @return the rows affected
   */
  Mono<Long> update(SqlStatement statement);

  /**
   * Runs a parameterless multi-statement script with the simple query protocol (one implicit
   * transaction).
   *
   * @param script the script
   * @return completes when it ran
   */
  Mono<Void> executeScript(String script);

  /**
   * One listening session on a dedicated connection (never a pooled one: {@code LISTEN} is session
   * state): emits {@link Wakeup#LISTENING} once listening, and again whenever the driver itself
   * re-established the session, and {@link Wakeup#NOTIFIED} per notification. It fails when the
   * connection is lost for good or gives no answer to a {@code SELECT 1} within {@code heartbeat}
   * (a half-open connection); the store then starts a new session with backoff. Cancelling it
   * closes the connection.
   *
   * @param channel the channel, a lower-case identifier of at most 63 bytes
   * @param heartbeat the interval of the liveness query
   * @return the wakeups of this session
   */
  Flux<Wakeup> listen(String channel, Duration heartbeat);

  /**
   * Finds the caller's transaction for {@code sendReliable}. Fails with {@code
   * dev.herald.NoTransactionException} when there is none (never opens one of its own).
   *
   * @param context the sending subscription's context, where transaction bindings live
   * @param signal the signal being sent, for error messages
   * @return the caller's transaction
   */
  Mono<SqlTransaction> transaction(ContextView context, String signal);
}
