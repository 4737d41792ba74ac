package dev.herald.spring;

import dev.herald.Herald;
import dev.herald.Receiver;
import dev.herald.ReceiverOptions;
import dev.herald.Signal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.Environment;

/**
 * Connects every receiver declared in the application's beans once all singletons exist, and so
 * before any lifecycle starts Herald. Checks first, then connects: a receiver whose payload type is
 * not its signal's, two receivers with one name on a signal, or a receiver property block that
 * names no receiver fail startup before anything is connected.
 */
final class ReceiverConnector implements SmartInitializingSingleton {

  private final Herald herald;
  private final ConfigurableListableBeanFactory beans;
  private final Environment environment;
  private final HeraldProperties properties;
  private volatile boolean connected;

  ReceiverConnector(
      Herald herald,
      ConfigurableListableBeanFactory beans,
      Environment environment,
      HeraldProperties properties) {
    this.herald = herald;
    this.beans = beans;
    this.environment = environment;
    this.properties = properties;
  }

  @Override
  public void afterSingletonsInstantiated() {
    List<ReceiverDefinition> receivers = ReceiverMethods.find(beans);
    Map<String, Class<?>> signalTypes = signalTypes(receivers);
    checkNamesUnique(receivers);
    ReceiverPropertiesBinder binder =
        new ReceiverPropertiesBinder(environment, properties.receiverDefaults());
    Map<ReceiverDefinition, ReceiverOptions> options = new LinkedHashMap<>();
    List<ConfigurationPropertyName> prefixes = new ArrayList<>();
    List<String> known = new ArrayList<>();
    for (ReceiverDefinition r : receivers) {
      options.put(r, binder.options(r.signal(), r.name()));
      prefixes.add(ReceiverPropertiesBinder.prefix(r.signal(), r.name()));
      known.add(r.signal() + "/" + r.name());
    }
    known.sort(null);
    binder.checkAllUsed(prefixes, known);
    options.forEach((r, o) -> connect(r, o, signalTypes.get(r.signal())));
    connected = true;
  }

  /** Whether every receiver was connected: Herald must not start before. */
  boolean connected() {
    return connected;
  }

  /**
   * The payload type of each signal: that of its {@code Signal<T>} bean, or else of its first
   * receiver; a receiver that takes another type fails startup.
   */
  private Map<String, Class<?>> signalTypes(List<ReceiverDefinition> receivers) {
    Map<String, Class<?>> types = new LinkedHashMap<>();
    Map<String, String> declaredBy = new LinkedHashMap<>();
    beans
        .getBeansOfType(Signal.class, false, false)
        .forEach(
            (beanName, signal) -> {
              types.put(signal.name(), signal.type());
              declaredBy.put(signal.name(), "its Signal bean '" + beanName + "'");
            });
    for (ReceiverDefinition r : receivers) {
      Class<?> type = types.putIfAbsent(r.signal(), r.type());
      declaredBy.putIfAbsent(r.signal(), "its receiver " + r.source());
      if (type != null && type != r.type()) {
        throw new HeraldStartupException(
            r.described()
                + " takes "
                + r.type().getName()
                + ", but the signal carries "
                + type.getName()
                + " (declared by "
                + declaredBy.get(r.signal())
                + ").",
            "Make the receiver take "
                + type.getSimpleName()
                + " (or Delivery<"
                + type.getSimpleName()
                + ">), or connect it to the signal that carries "
                + r.type().getSimpleName()
                + ": a signal has one payload type, shared by its sender and every receiver.");
      }
    }
    return types;
  }

  private static void checkNamesUnique(List<ReceiverDefinition> receivers) {
    Map<String, ReceiverDefinition> seen = new LinkedHashMap<>();
    for (ReceiverDefinition r : receivers) {
      ReceiverDefinition first = seen.putIfAbsent(r.signal() + "\u0000" + r.name(), r);
      if (first != null) {
        throw new HeraldStartupException(
            "Two receivers of signal '"
                + r.signal()
                + "' are named '"
                + r.name()
                + "': "
                + first.source()
                + " and "
                + r.source()
                + ".",
            "Give each receiver of a signal its own name. The name is stored with every task and"
                + " routes it to its code, so it must be unique per signal and stable across"
                + " deploys.");
      }
    }
  }

  @SuppressWarnings("unchecked")
  private <T> void connect(ReceiverDefinition r, ReceiverOptions options, Class<?> signalType) {
    try {
      Signal<T> signal = herald.signal(r.signal(), (Class<T>) signalType);
      signal.connect(r.name(), options, (Receiver<T>) r.receiver());
    } catch (IllegalArgumentException e) {
      // Herald refused a name, or the signal was declared in code with another type.
      throw new HeraldStartupException(
          r.described() + " cannot be connected: " + e.getMessage(),
          "Use a signal name and a receiver name of 1 to 200 characters without control"
              + " characters, and declare each signal with one payload type.",
          e);
    }
  }
}
