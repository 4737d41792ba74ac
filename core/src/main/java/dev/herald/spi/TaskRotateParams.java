package dev.herald.spi;

/**
 * One step of a store's generation upkeep.
 *
 * @param maxMoved at most this many tasks move out of one drained generation per step (dead letters
 *     and tasks not yet due); the rest move in later steps
 */
public record TaskRotateParams(int maxMoved) {
  /** Validates. */
  public TaskRotateParams {
    if (maxMoved < 1) {
      throw new IllegalArgumentException("maxMoved must be at least 1, but was " + maxMoved);
    }
  }
}
