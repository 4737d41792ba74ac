package dev.herald.spi;

import java.time.Instant;

/**
 * One row of {@link TaskStore#receiverList}.
 *
 * @param signal the signal's name
 * @param receiver the receiver's name
 * @param lastSeen when a node last registered it
 * @param lastSeenBy that node's id
 */
public record ReceiverListRow(
    String signal, String receiver, Instant lastSeen, String lastSeenBy) {}
