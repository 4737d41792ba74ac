package dev.herald.spi;

import java.time.Instant;

/**
 * One row of {@link TaskStore#taskList}.
 *
 * @param id the task id
 * @param signal the signal's name
 * @param receiver the receiver's name
 * @param state {@code ready} or {@code dead}
 * @param attempt attempts so far
 * @param runAt when it becomes (or became) due
 * @param createdAt when it was enqueued
 * @param lastError column {@code last_error}: the last failure or dead-letter reason, or null
 * @param payload the stored payload as JSON text
 */
public record TaskListRow(
    long id,
    String signal,
    String receiver,
    String state,
    int attempt,
    Instant runAt,
    Instant createdAt,
    String lastError,
    String payload) {}
