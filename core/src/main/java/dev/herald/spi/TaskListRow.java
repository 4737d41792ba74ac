package dev.herald.spi;

import java.time.Instant;

/**
 * One task as {@link TaskStore#taskList} and {@link TaskStore#taskFind} answer it.
 *
 * @param id the task id
 * @param signal the signal's name
 * @param receiver the receiver's name
 * @param state {@code ready}, {@code dead}, or {@code done} for a kept completed task
 * @param attempt attempts so far
 * @param runAt when it becomes (or became) due; a kept completed task's completion time
 * @param createdAt when it was enqueued
 * @param lastError column {@code last_error}: the last failure or dead-letter reason, or null
 * @param payload the stored payload as JSON text
 * @param dedupeKey column {@code dedupe_key}: the key it was sent with, or null
 * @param lockedBy column {@code locked_by}: the node whose claim leased it, kept until a retry,
 *     release or dead letter gives the lease back; null before the first claim, after those and for
 *     kept completed tasks
 * @param lockedUntil column {@code locked_until}: when that lease ends (or ended: a past time is a
 *     lapsed lease, and the task is claimable again), or null
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
    String payload,
    String dedupeKey,
    String lockedBy,
    Instant lockedUntil) {}
