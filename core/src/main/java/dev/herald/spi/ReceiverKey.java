package dev.herald.spi;

import java.util.Objects;

/**
 * One receiver of one signal, as the receiver registry names it.
 *
 * @param signal the signal's name
 * @param receiver the receiver's name
 */
public record ReceiverKey(String signal, String receiver) {
  /** Validates. */
  public ReceiverKey {
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(receiver, "receiver");
  }
}
