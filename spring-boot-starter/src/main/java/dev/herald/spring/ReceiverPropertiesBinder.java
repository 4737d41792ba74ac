package dev.herald.spring;

import dev.herald.ReceiverOptions;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.context.properties.bind.BindResult;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Binds {@code herald.receivers.<signal>.<receiver>.*} for each receiver the starter connects.
 *
 * <p>Signal names usually hold dots ({@code payment.completed}), which a {@code Map} property
 * cannot take as one key without brackets; so instead of a map in {@link HeraldProperties}, each
 * connected receiver's block is bound by its full name, which then reads naturally in properties
 * and YAML alike. Values are checked with Herald's builders on the merged options (the block over
 * {@code herald.receiver-defaults}) through Spring Boot's {@link ValidationBindHandler}, so an
 * invalid one is reported under its full property name; a block that names no connected receiver
 * fails startup instead of being ignored.
 */
final class ReceiverPropertiesBinder {

  static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("herald.receivers");

  private final Environment environment;
  private final Binder binder;
  private final ReceiverProperties defaults;

  ReceiverPropertiesBinder(Environment environment, ReceiverProperties defaults) {
    this.environment = environment;
    this.binder = Binder.get(environment);
    this.defaults = defaults;
  }

  /** The property prefix of one receiver. */
  static ConfigurationPropertyName prefix(String signal, String receiver) {
    return ROOT.append(ConfigurationPropertyName.adapt(signal, '.'))
        .append(ConfigurationPropertyName.adapt(receiver, '.'));
  }

  /**
   * The options of one receiver.
   *
   * @throws org.springframework.boot.context.properties.bind.BindException for a value that cannot
   *     be converted or that Herald refuses, naming its property
   */
  ReceiverOptions options(String signal, String receiver) {
    ConfigurationPropertyName name = prefix(signal, receiver);
    BindResult<ReceiverProperties> bound =
        binder.bind(
            name,
            Bindable.of(ReceiverProperties.class),
            new ValidationBindHandler(new MergedCheck(defaults)));
    ReceiverProperties merged = bound.map(p -> p.over(defaults)).orElse(defaults);
    return OptionsMapping.receiver(merged, Problems.unexpected(name.toString()));
  }

  /**
   * Fails if a property under {@code herald.receivers} belongs to none of the connected receivers:
   * a misspelt receiver or signal name would otherwise silently leave a receiver on defaults.
   *
   * @param connected the prefixes of the connected receivers
   * @param known the connected receivers, as {@code signal/receiver}, for the report
   * @throws HeraldStartupException naming the unused properties
   */
  void checkAllUsed(Collection<ConfigurationPropertyName> connected, List<String> known) {
    Set<String> unused = new TreeSet<>();
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      if (source instanceof IterableConfigurationPropertySource iterable) {
        iterable.stream()
            .filter(ROOT::isAncestorOf)
            .filter(n -> connected.stream().noneMatch(c -> c.isAncestorOf(n)))
            .forEach(n -> unused.add(n.toString()));
      }
    }
    if (!unused.isEmpty()) {
      throw new HeraldStartupException(
          "These Herald receiver properties configure no connected receiver: "
              + String.join(", ", unused)
              + ". The receivers the starter connected are: "
              + (known.isEmpty() ? "none" : String.join(", ", known))
              + ".",
          "Correct the signal or receiver name in herald.receivers.(signal).(receiver), or remove"
              + " the block. Only receivers connected by @HeraldReceiver methods or"
              + " ReceiverRegistration beans take these properties; a receiver connected in code"
              + " takes its ReceiverOptions from the code.");
    }
  }

  /** Checks a receiver's bound block merged over the defaults, reporting under the block's name. */
  private record MergedCheck(ReceiverProperties defaults) implements Validator {

    @Override
    public boolean supports(Class<?> type) {
      return ReceiverProperties.class == type;
    }

    @Override
    public void validate(Object target, Errors errors) {
      OptionsMapping.receiver(
          ((ReceiverProperties) target).over(defaults), Problems.of(errors, ""));
    }
  }
}
