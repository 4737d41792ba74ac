package dev.herald;

import java.time.Duration;

/**
 * Something the engine did, published on {@link Herald#events()}. Events are for observing
 * (logging, metrics, tests); the database stays the source of truth.
 *
 * <p>Events are true: {@link Delivered}, {@link Retried}, {@link DeadLettered} and {@link Released}
 * are published only once the fenced write that records them matched the task's row. A task whose
 * outcome could not be recorded under this node's claim yields {@link LeaseLost} instead.
 */
public sealed interface HeraldEvent {

  /**
   * The signal's name.
   *
   * @return the signal, or null for events about the store as a whole ({@link StoreCallTimedOut})
   */
  String signal();

  /**
   * The receiver's name.
   *
   * @return the receiver, or null for events about the store as a whole ({@link StoreCallTimedOut})
   */
  String receiver();

  /**
   * A receiver succeeded; the task is deleted.
   *
   * @param signal the signal
   * @param receiver the receiver
   * @param taskId the task
   * @param attempt the successful attempt
   * @param took how long the receiver ran
   */
  record Delivered(String signal, String receiver, long taskId, int attempt, Duration took)
      implements HeraldEvent {}

  /**
   * An attempt failed; the task runs again after {@code delay}.
   *
   * @param signal the signal
   * @param receiver the receiver
   * @param taskId the task
   * @param attempt the failed attempt
   * @param delay time until the next attempt
   * @param error the failure
   */
  record Retried(
      String signal, String receiver, long taskId, int attempt, Duration delay, String error)
      implements HeraldEvent {}

  /**
   * The task will not run again until requeued: retries exhausted, a permanent failure, or a
   * payload that cannot be decoded.
   *
   * @param signal the signal
   * @param receiver the receiver
   * @param taskId the task
   * @param attempt the last attempt
   * @param reason why
   */
  record DeadLettered(String signal, String receiver, long taskId, int attempt, String reason)
      implements HeraldEvent {}

  /**
   * A claimed task went back to ready before its lease ran out: its breaker refused the call or the
   * engine shut down before starting it (the attempt is not counted), or shutdown cancelled it
   * after the grace period (the attempt counts, since the receiver may have done part of its work).
   *
   * @param signal the signal
   * @param receiver the receiver
   * @param taskId the task
   * @param reason why
   */
  record Released(String signal, String receiver, long taskId, String reason)
      implements HeraldEvent {}

  /**
   * A receiver's circuit breaker changed state. While it is open, the receiver's tasks are not
   * claimed.
   *
   * @param signal the signal
   * @param receiver the receiver
   * @param from the previous state
   * @param to the new state
   */
  record BreakerStateChanged(String signal, String receiver, BreakerState from, BreakerState to)
      implements HeraldEvent {}

  /**
   * This node no longer holds a task it claimed: its lease could not be extended, or its outcome
   * could not be recorded before the lease ran out, or the fenced write found the task claimed
   * again elsewhere. Another node runs it again (at least once); whatever this node's attempt did
   * is not recorded.
   *
   * @param signal the signal
   * @param receiver the receiver
   * @param taskId the task
   * @param attempt this node's attempt
   * @param reason why
   */
  record LeaseLost(String signal, String receiver, long taskId, int attempt, String reason)
      implements HeraldEvent {}

  /**
   * A store call of the dispatcher took longer than {@link HeraldOptions#storeTimeout()} and was
   * abandoned; it is retried like a failed call. Not about one receiver: {@link #signal()} and
   * {@link #receiver()} are null.
   *
   * @param operation the store operation, such as {@code taskClaimBatch}
   * @param timeout the limit that was exceeded
   */
  record StoreCallTimedOut(String operation, Duration timeout) implements HeraldEvent {
    @Override
    public String signal() {
      return null;
    }

    @Override
    public String receiver() {
      return null;
    }
  }
}
