package dev.herald.spi;

import java.util.Objects;

/**
 * Remove one receiver from the registry: later sends no longer write tasks for it.
 *
 * @param signal the signal's name
 * @param receiver the receiver's name
 */
public record ReceiverRetireParams(String signal, String receiver) {
  /** Validates. */
  public ReceiverRetireParams {
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(receiver, "receiver");
  }
}
