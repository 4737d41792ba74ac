package dev.herald;

import reactor.core.publisher.Mono;

/**
 * Code that runs when a signal was sent by a committed transaction.
 *
 * <p>Herald subscribes to the returned {@code Mono} once per attempt. Completion means the task is
 * done and will not run again (barring a crash before Herald records it: delivery is at least once,
 * so receivers should be idempotent, keyed by {@link Delivery#taskId()}). An error, a timeout or an
 * exception thrown from {@code receive} itself counts as a failed attempt and is retried by the
 * receiver's {@link RetryPolicy}; throw {@link PermanentFailureException} to dead-letter the task
 * at once.
 *
 * <p>Receivers run on Herald's or the database driver's non-blocking threads: never block in them.
 * Wrap blocking clients in {@code subscribeOn(Schedulers.boundedElastic())}.
 *
 * @param <T> the signal's payload type
 */
@FunctionalInterface
public interface Receiver<T> {

  /**
   * Handles one delivery attempt.
   *
   * @param delivery the payload and the task's identity
   * @return a {@code Mono} that completes when the work is done
   */
  Mono<Void> receive(Delivery<T> delivery);
}
