package dev.herald;

import java.time.Instant;

/**
 * One receiver in the store's registry, as listed by {@link Herald#receivers()}: every send of its
 * signal, from any node, writes a task for it until it is retired with {@link
 * Herald#retireReceiver(String, String)}.
 *
 * @param signal the signal's name
 * @param receiver the receiver's name
 * @param lastSeen when a node last registered it (nodes running or declaring it do so when they
 *     start and every minute)
 * @param lastSeenBy that node's id
 */
public record RegisteredReceiver(
    String signal, String receiver, Instant lastSeen, String lastSeenBy) {}
