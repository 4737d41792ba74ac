package dev.herald;

/**
 * How a sending transaction wakes dispatchers in other processes. Dispatchers in the sender's own
 * process are always woken in memory after commit when the transaction's commit can be observed
 * (Spring reactive transactions, Herald's transaction helpers); polling bounds latency in every
 * mode.
 */
public enum NotifyMode {
  /** No {@code NOTIFY}: other processes find tasks by polling. Cheapest for the sender. */
  NONE,
  /**
   * At most one {@code NOTIFY} per notify window per process, inside the sending transaction (the
   * default). Keeps cross-process latency low without serialising every commit on PostgreSQL's
   * notification lock.
   */
  RATE_LIMITED,
  /** A {@code NOTIFY} in every sending transaction: lowest latency, highest commit cost. */
  EVERY_TRANSACTION
}
