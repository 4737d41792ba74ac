package dev.herald;

import dev.herald.spi.TaskListRow;
import java.time.Instant;

/**
 * A snapshot of one stored task, as listed by {@link Herald#deadLetters()} and {@link
 * Herald#readyTasks(String, String, long, int)}.
 *
 * @param id the task id
 * @param signal the signal's name
 * @param receiver the receiver's name
 * @param state {@code ready} or {@code dead}
 * @param attempt attempts so far
 * @param runAt when it becomes (or became) due
 * @param createdAt when it was enqueued
 * @param lastError the last failure or dead-letter reason, or null
 * @param payload the stored payload as JSON text
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
    String payload) {

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
        row.payload());
  }
}
