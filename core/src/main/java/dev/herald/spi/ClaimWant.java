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
 */
public record ClaimWant(String signal, String receiver, int limit, Instant since) {

  /** Validates. */
  public ClaimWant {
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(receiver, "receiver");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, but was " + limit);
    }
  }

  /** A claim from the oldest due task. */
  public ClaimWant(String signal, String receiver, int limit) {
    this(signal, receiver, limit, null);
  }
}
