package dev.herald;

import dev.herald.spi.TaskListRow;
import java.time.Instant;

/**
 * A snapshot of one stored task, as listed by {@link Herald#deadLetters()}, {@link
 * Herald#readyTasks(String, String, long, int)} and {@link Herald#completedTasks(String, String,
 * long, int)}, and found by {@link Herald#findTask(long)} and {@link Herald#findTasks(String,
 * String, int)}.
 *
 * <p>A ready task is due when {@code runAt} has passed and scheduled (a delayed send, or a retry
 * waiting) until then; it is running while {@code leasedUntil} lies ahead: a node claimed it and
 * holds it until its outcome is recorded.
 *
 * @param id the task id
 * @param signal the signal's name
 * @param receiver the receiver's name
 * @param state {@code ready}, {@code dead}, or {@code done} for a completed task kept by {@link
 *     HeraldOptions.Builder#retention(java.time.Duration)}
 * @param attempt attempts so far
 * @param runAt when it becomes (or became) due; for a {@code done} task, when it completed
 * @param createdAt when it was enqueued
 * @param lastError the last failure or dead-letter reason, or null
 * @param payload the stored payload as JSON text
 * @param dedupeKey the dedupe key it was sent with ({@link SendOptions#withDedupeKey(String)}), or
 *     null
 * @param leasedBy the node whose claim leased it ({@link Herald#nodeId()}), until a retry, release
 *     or dead letter gives the lease back; null before its first claim, after those, and for a
 *     {@code done} task
 * @param leasedUntil when that lease ends, on the store's clock: a past instant means the lease
 *     lapsed (the node stopped extending it) and any node may claim the task again; null with
 *     {@code leasedBy}
 */
public record TaskInfo(
    long id,
    String signal,
    String receiver,
    String state,
    int attempt,
    Instant runAt,
    Instant createdAt,
    String lastError,
    String payload,
    String dedupeKey,
    String leasedBy,
    Instant leasedUntil) {

  /**
   * A snapshot without dedupe key or lease: the shape of this record before they were added.
   *
   * @param id the task id
   * @param signal the signal's name
   * @param receiver the receiver's name
   * @param state {@code ready}, {@code dead} or {@code done}
   * @param attempt attempts so far
   * @param runAt when it becomes (or became) due
   * @param createdAt when it was enqueued
   * @param lastError the last failure or dead-letter reason, or null
   * @param payload the stored payload as JSON text
   */
  public TaskInfo(
      long id,
      String signal,
      String receiver,
      String state,
      int attempt,
      Instant runAt,
      Instant createdAt,
      String lastError,
      String payload) {
    this(
        id, signal, receiver, state, attempt, runAt, createdAt, lastError, payload, null, null,
        null);
  }

  static TaskInfo of(TaskListRow row) {
    return new TaskInfo(
        row.id(),
        row.signal(),
        row.receiver(),
        row.state(),
        row.attempt(),
        row.runAt(),
        row.createdAt(),
        row.lastError(),
        row.payload(),
        row.dedupeKey(),
        row.lockedBy(),
        row.lockedUntil());
  }
}
