package dev.herald;

/**
 * The state of a receiver's circuit breaker, as {@link HeraldEvent.BreakerStateChanged} reports it.
 */
public enum BreakerState {
  /** Calls run; their counted failures are measured. */
  CLOSED,
  /**
   * Too many counted failures: the receiver's tasks are not claimed until the breaker half-opens.
   */
  OPEN,
  /** A few probe tasks are claimed; their outcomes close the breaker or open it again. */
  HALF_OPEN
}
