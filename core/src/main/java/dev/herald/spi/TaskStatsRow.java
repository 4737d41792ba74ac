package dev.herald.spi;

import java.time.Duration;

/**
 * One pair's counts from {@link TaskStore#taskStats}. Every count reads at most the params' {@code
 * cap} rows; a count equal to the cap means "at least the cap".
 *
 * @param signal the signal's name
 * @param receiver the receiver's name
 * @param ready ready tasks that are due and not leased (claimable now, or held back by an ordering
 *     key), at most the cap
 * @param oldestReady how long the oldest of them has been due (from its {@code run_at}: when it was
 *     sent, or when its retry or delay came due), on the store's clock; null when there is none
 * @param due the oldest due ready tasks, leased or not, that were read to count {@code running}: at
 *     most the cap; when it equals the cap, more due tasks exist and {@code running} is a lower
 *     bound
 * @param running how many of those {@code due} tasks are leased (a node runs them, or holds them
 *     until their outcome is recorded)
 * @param scheduled ready tasks not yet due (delayed sends, retries waiting), at most the cap
 * @param dead dead-lettered tasks, at most the cap
 */
public record TaskStatsRow(
    String signal,
    String receiver,
    long ready,
    Duration oldestReady,
    long due,
    long running,
    long scheduled,
    long dead) {}
