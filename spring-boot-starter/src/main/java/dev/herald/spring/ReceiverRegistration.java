package dev.herald.spring;

import dev.herald.Receiver;
import java.util.Objects;

/**
 * A {@link Receiver} to connect to a signal, declared as a bean: the starter connects every
 * registration bean before Herald starts, with the options of {@code
 * herald.receivers.<signal>.<name>.*} over {@code herald.receiver-defaults.*}.
 *
 * <pre>{@code
 * @Bean
 * ReceiverRegistration<PaymentCompleted> crmSync(CrmClient crm) {
 *   return ReceiverRegistration.of("payment.completed", "crm-sync", PaymentCompleted.class,
 *       delivery -> crm.upsert(delivery.payload().customerId()));
 * }
 * }</pre>
 *
 * <p>The same rules as for {@link HeraldReceiver} methods hold: startup fails when the type differs
 * from the signal's or when the name is taken on that signal. Immutable.
 *
 * @param <T> the signal's payload type
 */
public final class ReceiverRegistration<T> {

  private final String signal;
  private final String name;
  private final Class<T> type;
  private final Receiver<T> receiver;

  private ReceiverRegistration(String signal, String name, Class<T> type, Receiver<T> receiver) {
    this.signal = Objects.requireNonNull(signal, "signal");
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.receiver = Objects.requireNonNull(receiver, "receiver");
  }

  /**
   * A receiver to connect.
   *
   * @param signal the signal's stable name
   * @param name the receiver's stable name, unique for the signal
   * @param type the signal's payload type
   * @param receiver the code to run
   * @param <T> the payload type
   * @return the registration
   */
  public static <T> ReceiverRegistration<T> of(
      String signal, String name, Class<T> type, Receiver<T> receiver) {
    return new ReceiverRegistration<>(signal, name, type, receiver);
  }

  /**
   * @return the signal's name
   */
  public String signal() {
    return signal;
  }

  /**
   * @return the receiver's name
   */
  public String name() {
    return name;
  }

  /**
   * @return the payload type
   */
  public Class<T> type() {
    return type;
  }

  /**
   * @return the code to run
   */
  public Receiver<T> receiver() {
    return receiver;
  }

  @Override
  public String toString() {
    return "ReceiverRegistration[" + signal + " -> " + name + ", " + type.getName() + "]";
  }
}
