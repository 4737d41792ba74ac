package dev.herald.spi;

import java.util.Objects;

/**
 * How many tasks of one (signal, receiver) a claim may take.
 *
 * @param signal the signal's name
 * @param receiver the receiver's name
 * @param limit at least 1
 */
public record ClaimWant(String signal, String receiver, int limit) {
  /** Validates. */
  public ClaimWant {
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(receiver, "receiver");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, but was " + limit);
    }
  }
}
