package dev.herald;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;

/**
 * Something the engine did, published on {@link Herald#events()}. Events are for observing
 * (logging, metrics, tests); the database stays the source of truth.
 */
public sealed interface HeraldEvent {

  /**
   * The signal's name.
   *
   * @return the signal
   */
  String signal();

  /**
   * The receiver's name.
   *
   * @return the receiver
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
   * A claimed task went back to ready without counting an attempt (its breaker refused the call, or
   * the engine shut down before starting it).
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
  record BreakerStateChanged(
      String signal, String receiver, CircuitBreaker.State from, CircuitBreaker.State to)
      implements HeraldEvent {}
}
