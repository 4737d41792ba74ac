package dev.herald.spi;

import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * The caller's open transaction, as seen by {@code sendReliable}. Herald writes into it and never
 * commits, rolls back or closes it.
 */
public interface SenderTransaction {

  /**
   * Inserts, in one statement, one task for each of the given receivers and for each receiver of
   * the signal in the store's registry (each receiver once), and the wakeup notification if
   * requested.
   *
   * @param params the tasks
   * @return what was written (visible to others only after the caller commits)
   */
  Mono<TaskInsertManyResult> taskInsertMany(TaskInsertManyParams params);

  /**
   * Runs {@code action} after the transaction commits (never after a rollback), if this kind of
   * transaction lets Herald observe its commit.
   *
   * @param action what to run; its {@code Mono} is subscribed as part of the commit's completion
   * @return false if the commit cannot be observed (the action will never run)
   */
  boolean afterCommit(Supplier<Mono<Void>> action);
}
