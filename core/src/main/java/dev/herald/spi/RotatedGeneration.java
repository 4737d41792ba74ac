package dev.herald.spi;

/**
 * What one step of {@link TaskStore#taskRotate} found or did for one generation (a partition of the
 * task table that is not the one being written now).
 *
 * @param generation the generation's number
 * @param outcome what happened to it
 * @param moved tasks moved out of it in this step (dead letters to their own partition, tasks not
 *     yet due to the current generation)
 * @param freedBytes the heap bytes a truncation gave back, 0 otherwise
 */
public record RotatedGeneration(int generation, Outcome outcome, long moved, long freedBytes) {

  /** What happened to a generation. */
  public enum Outcome {
    /** Empty and already truncated: nothing to do. */
    CLEAN,
    /** Still holds a due or leased task: the dispatchers finish it first. */
    BUSY,
    /**
     * Drained, but its lock was not granted within the step's short lock timeout: a transaction
     * that wrote or read it is still open (for example a {@code REPEATABLE READ} report that read
     * the task table).
     */
    LOCKED,
    /** Drained and truncated: its space is back. */
    TRUNCATED
  }
}
