package dev.herald.spi;

import java.time.Instant;

/**
 * A task as claimed: its claim token is ({@code id}, {@code attempt}) together with the owner.
 *
 * @param id the task id
 * @param signal the signal's name
 * @param receiver the receiver's name
 * @param payload the stored payload (JSON text)
 * @param headers the stored headers (JSON object text)
 * @param attempt the attempt this claim counts, starting at 1
 * @param createdAt when the task was enqueued
 * @param runAt when the task became due (its position in the claim order)
 * @param openSince the start of the oldest transaction that had written and not yet committed when
 *     the claim ran, or the claim's own start: a task not yet visible to this claim is due no
 *     earlier (a send is due from the moment its row is written)
 * @param orderKey the task's ordering key, or null
 */
public record ClaimedTask(
    long id,
    String signal,
    String receiver,
    String payload,
    String headers,
    int attempt,
    Instant createdAt,
    Instant runAt,
    Instant openSince,
    String orderKey) {}
