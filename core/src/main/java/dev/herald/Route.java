package dev.herald;

import java.util.Objects;

/**
 * A receiver connected to a signal: what the dispatcher claims for and delivers to.
 *
 * @param signal the signal's name
 * @param type the payload type
 * @param receiverName the receiver's name
 * @param options the receiver's options
 * @param receiver the receiver
 * @param <T> the payload type
 */
record Route<T>(
    String signal,
    Class<T> type,
    String receiverName,
    ReceiverOptions options,
    Receiver<T> receiver) {

  /** Validates. */
  Route {
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(receiverName, "receiverName");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(receiver, "receiver");
  }

  /**
   * The key of this route's tasks.
   *
   * @return {@code signal + '\u0000' + receiver}
   */
  String key() {
    return key(signal, receiverName);
  }

  static String key(String signal, String receiver) {
    return signal + '\u0000' + receiver;
  }
}
