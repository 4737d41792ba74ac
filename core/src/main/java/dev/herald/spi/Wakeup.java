package dev.herald.spi;

/** What {@link TaskStore#wakeups()} emits. */
public enum Wakeup {
  /**
   * The store started (or, after losing its connection, restarted) listening: notifications sent
   * before may have been missed, so the dispatcher claims once to catch up.
   */
  LISTENING,

  /** A notification arrived: a sender's transaction committed new tasks. */
  NOTIFIED,

  /**
   * The store lost its listening connection and is reconnecting; {@link #LISTENING} follows once it
   * listens again. Until then only polling finds new tasks.
   */
  LOST
}
