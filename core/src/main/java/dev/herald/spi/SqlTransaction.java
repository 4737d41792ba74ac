package dev.herald.spi;

import java.util.List;
import java.util.function.Supplier;
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
   * returned {@code Mono} and none after it runs. The driver may send them together (pipelining).
   *
   * @param statements what to run
   * @return completes when all ran (their effects visible to others only after the caller commits)
   */
  Mono<Void> execute(List<SqlStatement> statements);

  /**
   * Runs {@code action} after the transaction commits (never after a rollback), if the driver can
   * observe this transaction's commit.
   *
   * @param action what to run; its {@code Mono} is subscribed as part of the commit's completion
   * @return false if the commit cannot be observed (the action will never run)
   */
  boolean afterCommit(Supplier<Mono<Void>> action);
}
