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
   * The default. When the sending transaction's commit can be observed (Spring reactive
   * transactions, Herald's {@code inTransaction} helpers, Vert.x connections), one {@code NOTIFY}
   * after the commit, from a statement of its own, at most once per notify window per process: the
   * first commit after a quiet window notifies at once, later ones within the window share one
   * notification at its end. So every commit is followed by a wakeup within one window, a
   * rolled-back send never silences anyone, and sending transactions never take PostgreSQL's
   * notification lock. When the commit cannot be observed (a bare R2DBC connection the caller
   * commits), the {@code NOTIFY} runs inside the transaction, every time: it is then the only way
   * to wake any dispatcher, this process's included.
   */
  RATE_LIMITED,
  /** A {@code NOTIFY} in every sending transaction: lowest latency, highest commit cost. */
  EVERY_TRANSACTION
}
