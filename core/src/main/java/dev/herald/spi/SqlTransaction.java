package dev.herald.spi;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The caller's open transaction, as a {@link SqlDriver} found it for {@code sendReliable}. Herald
 * runs its statements on it and never commits, rolls back or closes it.
 *
 * <p>Unstable SPI.
 */
public interface SqlTransaction {

  /**
   * Runs statements on the transaction's connection, in order; a failed statement fails the
   * returned {@code Flux} and none after it runs. The driver may send them together (pipelining).
   *
   * @param statements what to run
   * @param firstRows reads one row of the first statement's result; called while the row is current
   * @param <T> the mapped type
   * @return the first statement's rows, once all ran (their effects visible to others only after
   *     the caller commits)
   */
  <T> Flux<T> execute(List<SqlStatement> statements, Function<SqlRow, T> firstRows);

  /**
   * Runs statements like {@link #execute}, answering how many rows the first one wrote.
   *
   * @param statements what to run
   * @return the first statement's row count, once all ran
   */
  Mono<Long> update(List<SqlStatement> statements);

  /**
   * Runs {@code action} after the transaction commits (never after a rollback), if the driver can
   * observe this transaction's commit.
   *
   * @param action what to run; its {@code Mono} is subscribed as part of the commit's completion
   * @return false if the commit cannot be observed (the action will never run)
   */
  boolean afterCommit(Supplier<Mono<Void>> action);
}
