package dev.herald.spi;

import java.util.Objects;

/**
 * Dead-letter the ready, unleased tasks of one pair.
 *
 * @param signal the signal's name
 * @param receiver the receiver's name
 * @param lastError why, for column {@code last_error}
 */
public record TaskDeadLetterReadyParams(String signal, String receiver, String lastError) {
  /** Validates. */
  public TaskDeadLetterReadyParams {
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(receiver, "receiver");
    Objects.requireNonNull(lastError, "lastError");
  }
}
