package dev.herald.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.FieldError;
import reactor.core.publisher.Mono;

/**
 * Invalid values fail startup through Spring Boot's binding validation, named by their property
 * (which Spring Boot's report prints as "Property: herald.poll-interval"), with Herald's reason.
 */
class PropertyValidationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(HeraldAutoConfiguration.class))
          .withPropertyValues("herald.test.immediate=true");

  @Test
  void engineOptionIsReportedUnderItsProperty() {
    assertThat(rejected("herald.poll-interval=0s"))
        .containsExactly("herald.poll-interval: pollInterval must be positive, but was PT0S");
  }

  @Test
  void healthLimitIsReportedUnderItsProperty() {
    ApplicationContextRunner health =
        runner.withConfiguration(AutoConfigurations.of(HeraldActuatorAutoConfiguration.class));
    assertThat(rejected(health, List.of(), "herald.health.max-dead=-1", "herald.health.timeout=0s"))
        .containsExactlyInAnyOrder(
            "herald.health.timeout: must be positive, but was PT0S",
            "herald.health.max-dead: must not be negative, but was -1");
  }

  @Test
  void crossFieldRuleIsReportedUnderThePropertyToChange() {
    assertThat(rejected("herald.lease=5s", "herald.store-timeout=5s"))
        .containsExactly(
            "herald.store-timeout: storeTimeout must be shorter than the lease, but was PT5S with"
                + " a lease of PT5S");
  }

  @Test
  void everyInvalidValueIsReportedAtOnce() {
    assertThat(
            rejected(
                "herald.max-in-flight=0",
                "herald.store.table-name=Bad-Name",
                "herald.receiver-defaults.retry.initial-delay=2s",
                "herald.receiver-defaults.retry.max-delay=1s",
                "herald.receiver-defaults.rate-limit.tasks=5"))
        .extracting(line -> line.substring(0, line.indexOf(':')))
        .containsExactlyInAnyOrder(
            "herald.max-in-flight",
            "herald.store.table-name",
            "herald.receiver-defaults.retry.max-delay",
            "herald.receiver-defaults.rate-limit.period");
  }

  @Test
  void receiverOptionIsReportedUnderTheReceiversFullPropertyName() {
    assertThat(
            rejected(
                List.of(CrmSync.class),
                "herald.receivers.payment.completed.crm-sync.concurrency=0"))
        .containsExactly(
            "herald.receivers.payment.completed.crm-sync.concurrency: concurrency must be at least"
                + " 1, but was 0");
  }

  @Test
  void receiverBlockIsCheckedMergedOverTheDefaults() {
    assertThat(
            rejected(
                List.of(CrmSync.class),
                "herald.receiver-defaults.breaker.window=5",
                "herald.receiver-defaults.breaker.minimum-calls=3",
                "herald.receivers.payment.completed.crm-sync.breaker.minimum-calls=6"))
        .containsExactly(
            "herald.receivers.payment.completed.crm-sync.breaker.minimum-calls: minimumCalls must"
                + " not exceed window, but was 6 > 5");
  }

  @Test
  void validValuesStartTheContext() {
    runner
        .withUserConfiguration(CrmSync.class)
        .withPropertyValues(
            "herald.poll-interval=250ms",
            "herald.notify-mode=every-transaction",
            "herald.receiver-defaults.timeout=5s",
            "herald.receivers.payment.completed.crm-sync.retry.max-attempts=3",
            "herald.receivers.payment.completed.crm-sync.breaker.counting=java.io.UncheckedIOException")
        .run(context -> assertThat(context).hasNotFailed());
  }

  private List<String> rejected(String... properties) {
    return rejected(List.of(), properties);
  }

  /** The field errors of the startup failure, as "property: message". */
  private List<String> rejected(List<Class<?>> configurations, String... properties) {
    return rejected(runner, configurations, properties);
  }

  private static List<String> rejected(
      ApplicationContextRunner runner, List<Class<?>> configurations, String... properties) {
    List<String> errors = new java.util.ArrayList<>();
    runner
        .withUserConfiguration(configurations.toArray(Class<?>[]::new))
        .withPropertyValues(properties)
        .run(
            context -> {
              Throwable failure = context.getStartupFailure();
              assertThat(failure).isNotNull();
              Throwable t = failure;
              while (t != null && !(t instanceof BindValidationException)) {
                t = t.getCause();
              }
              assertThat(t).as("a BindValidationException in %s", failure).isNotNull();
              ((BindValidationException) t)
                  .getValidationErrors()
                  .getAllErrors()
                  .forEach(
                      e -> {
                        FieldError f = (FieldError) e;
                        errors.add(
                            f.getObjectName() + "." + f.getField() + ": " + f.getDefaultMessage());
                      });
            });
    return errors;
  }

  @Configuration(proxyBeanMethods = false)
  static class CrmSync {
    @Bean
    ReceiverRegistration<String> crmSync() {
      return ReceiverRegistration.of(
          "payment.completed", "crm-sync", String.class, d -> Mono.empty());
    }
  }
}
