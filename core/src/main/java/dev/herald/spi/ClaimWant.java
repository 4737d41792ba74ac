package dev.herald.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * How many tasks of one (signal, receiver) a claim may take, and from where in the claim order.
 *
 * <p>{@code since} lets a dispatcher start the claim's index walk where its last claims left off
 * instead of at the oldest entry: the entries before it belong mostly to delivered tasks (dead
 * tuples until vacuum removes them), and walking them makes a claim's cost grow with every task
 * delivered since the last vacuum. A store must return only tasks due at or after {@code since};
 * tasks before it are found by a claim without it.
 *
 * @param signal the signal's name
 * @param receiver the receiver's name
 * @param limit at least 1
 * @param since claim only tasks whose due time is at or after this instant; null for every due task
 * @param deadLetterBlocksKey whether a dead task of an ordering key holds back the later tasks of
 *     that key (as a pending one always does)
 * @param fleetLimit at most this many of the pair's tasks leased across all owners once the claim
 *     is done (claims of limited pairs are serialized), or 0 for no such limit
 */
public record ClaimWant(
    String signal,
    String receiver,
    int limit,
    Instant since,
    boolean deadLetterBlocksKey,
    int fleetLimit) {

  /** Validates. */
  public ClaimWant {
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(receiver, "receiver");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, but was " + limit);
    }
    if (fleetLimit < 0) {
      throw new IllegalArgumentException("fleetLimit must not be negative, but was " + fleetLimit);
    }
  }

  /** A claim from the oldest due task, where a dead letter releases its ordering key. */
  public ClaimWant(String signal, String receiver, int limit) {
    this(signal, receiver, limit, null, false, 0);
  }
}
