package dev.herald;

import dev.herald.spi.ClaimedTask;

/**
 * What the engine tells an observer that must miss nothing (metrics), called directly from where
 * each thing happens, unlike {@link Herald#events()}, which drops events for a slow subscriber.
 * Called on the engine's and the driver's threads: an implementation is quick and never blocks.
 * Every method does nothing by default.
 */
interface EngineHooks {

  /** Observes nothing. */
  EngineHooks NONE = new EngineHooks() {};

  /** A send's transaction committed, having written {@code tasks} tasks of {@code signal}. */
  default void sent(String signal, long tasks) {}

  /** A receiver is about to be called with {@code task}. */
  default void attemptStarted(ClaimedTask task) {}

  /**
   * A receiver call ended after {@code nanos}: {@code error} is null when it succeeded. Not called
   * for an attempt that never reached the receiver (breaker open, undecodable payload) or that
   * shutdown cancelled.
   */
  default void attemptEnded(ClaimedTask task, long nanos, Throwable error) {}

  /** An outcome's write matched the task's row: the outcome is recorded. */
  default void recorded(ClaimedTask task, Outcome outcome) {}

  /** This node's claim on {@code task} is gone; its outcome is not recorded. */
  default void leaseLost(ClaimedTask task) {}
}
