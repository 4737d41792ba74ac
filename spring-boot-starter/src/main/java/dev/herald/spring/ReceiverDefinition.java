package dev.herald.spring;

import dev.herald.Receiver;

/**
 * A receiver the starter connects: from a {@link HeraldReceiver} method or a {@link
 * ReceiverRegistration} bean.
 *
 * @param signal the signal's name
 * @param name the receiver's name
 * @param type the payload type the receiver takes
 * @param receiver the code to run
 * @param source where it was declared, for startup failure reports
 */
record ReceiverDefinition(
    String signal, String name, Class<?> type, Receiver<?> receiver, String source) {

  /** How startup failure reports name it: {@code Receiver 'x' of signal 'y' (source)}. */
  String described() {
    return "Receiver '" + name + "' of signal '" + signal + "' (" + source + ")";
  }
}
