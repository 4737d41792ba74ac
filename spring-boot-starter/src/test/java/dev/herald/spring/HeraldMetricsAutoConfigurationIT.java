package dev.herald.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.HeraldMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** With Micrometer's registry, Herald's meters are bound and count a delivery on the database. */
class HeraldMetricsAutoConfigurationIT {

  record Payment(long id) {}

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  R2dbcAutoConfiguration.class,
                  R2dbcTransactionManagerAutoConfiguration.class,
                  MetricsAutoConfiguration.class,
                  CompositeMeterRegistryAutoConfiguration.class,
                  SimpleMetricsExportAutoConfiguration.class,
                  HeraldAutoConfiguration.class,
                  HeraldMetricsAutoConfiguration.class))
          .withPropertyValues(TestDatabaseProperties.withFreshTable())
          .withPropertyValues("herald.metrics.stats-period=200ms")
          .withUserConfiguration(Receivers.class);

  @Configuration(proxyBeanMethods = false)
  static class Receivers {
    @Bean
    ReceiverRegistration<Payment> crmSync() {
      return ReceiverRegistration.of(
          "payment.completed", "crm-sync", Payment.class, d -> Mono.empty());
    }
  }

  @Test
  void heraldMetersCountADeliveryAndGaugeTheReceiver() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(HeraldMetrics.class);
          Herald herald = context.getBean(Herald.class);
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          TransactionalOperator.create(context.getBean(R2dbcTransactionManager.class))
              .transactional(
                  herald.signal("payment.completed", Payment.class).sendReliable(new Payment(1)))
              .block(Duration.ofSeconds(30));

          Awaitility.await()
              .atMost(Duration.ofSeconds(30))
              .untilAsserted(
                  () -> {
                    Counter delivered =
                        registry
                            .find("herald.tasks.delivered")
                            .tag("receiver", "crm-sync")
                            .counter();
                    assertThat(delivered).isNotNull();
                    assertThat(delivered.count()).isEqualTo(1);
                    assertThat(registry.find("herald.tasks.sent").counter().count()).isEqualTo(1);
                    assertThat(
                            registry.find("herald.tasks.ready").tag("receiver", "crm-sync").gauge())
                        .isNotNull();
                  });
        });
  }

  @Test
  void metricsCanBeTurnedOff() {
    runner
        .withPropertyValues("herald.metrics.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(HeraldMetrics.class));
  }
}
