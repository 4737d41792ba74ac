package dev.herald.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Delivery;
import dev.herald.Herald;
import dev.herald.Signal;
import dev.herald.Store;
import dev.herald.r2dbc.R2dbcTaskStore;
import dev.herald.testing.InMemoryTaskStore;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import reactor.core.publisher.Mono;

/**
 * What the auto-configuration creates, what it yields to, and how it fails. No database is reached:
 * these contexts either run in the immediate test mode or fail before Herald starts.
 */
class HeraldAutoConfigurationTest {

  // Never connected to: every context on it fails before Herald's schema step.
  private static final String UNREACHED_DATABASE =
      "spring.r2dbc.url=r2dbc:postgresql://none@127.0.0.1:1/none";

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  R2dbcAutoConfiguration.class,
                  R2dbcTransactionManagerAutoConfiguration.class,
                  HeraldAutoConfiguration.class));

  // No ConnectionFactory at all: the immediate test mode needs none.
  private final ApplicationContextRunner immediate =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(HeraldAutoConfiguration.class))
          .withPropertyValues("herald.test.immediate=true");

  @Test
  void createsTheEngineOnTheInMemoryStoreInImmediateMode() {
    immediate.run(
        context -> {
          assertThat(context).hasSingleBean(Herald.class);
          assertThat(context).hasSingleBean(Store.class);
          assertThat(context).doesNotHaveBean(R2dbcTaskStore.class);
        });
  }

  @Test
  void disabledCreatesNothing() {
    immediate
        .withPropertyValues("herald.enabled=false")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(Herald.class);
              assertThat(context).doesNotHaveBean(Store.class);
            });
  }

  @Test
  void applicationsOwnStoreAndEngineWin() {
    immediate
        .withUserConfiguration(OwnHerald.class)
        .run(
            context -> {
              assertThat(context.getBean(Store.class)).isSameAs(OwnHerald.STORE);
              assertThat(context.getBean(Herald.class).nodeId()).isEqualTo("own");
            });
  }

  @Test
  void engineOptionsComeFromProperties() {
    immediate
        .withPropertyValues("herald.node-id=node-7")
        .run(context -> assertThat(context.getBean(Herald.class).nodeId()).isEqualTo("node-7"));
  }

  @Test
  void receiverTakingAnotherTypeThanItsSignalFailsStartupSayingWhichToTake() {
    immediate
        .withUserConfiguration(PaymentSignal.class, OrderReceiver.class)
        .run(
            context -> {
              FailureAnalysis analysis = analysis(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .contains("Receiver 'crm-sync' of signal 'payment.completed'")
                  .contains("takes " + Order.class.getName())
                  .contains("carries " + Payment.class.getName())
                  .contains("Signal bean 'paymentCompleted'");
              assertThat(analysis.getAction()).startsWith("Make the receiver take Payment");
            });
  }

  @Test
  void twoReceiversWithOneNameOnASignalFailStartupNamingBoth() {
    immediate
        .withUserConfiguration(PaymentReceiver.class, SecondCrmSync.class)
        .run(
            context -> {
              FailureAnalysis analysis = analysis(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .contains("Two receivers of signal 'payment.completed' are named 'crm-sync'")
                  .contains("method PaymentReceiver.sync of bean")
                  .contains("ReceiverRegistration bean 'secondCrmSync'");
              assertThat(analysis.getAction()).contains("its own name");
            });
  }

  @Test
  void propertyBlockOfNoConnectedReceiverFailsStartupNamingIt() {
    immediate
        .withUserConfiguration(PaymentReceiver.class)
        .withPropertyValues("herald.receivers.payment.completed.crm-synk.concurrency=4")
        .run(
            context -> {
              FailureAnalysis analysis = analysis(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .contains("herald.receivers.payment.completed.crm-synk.concurrency")
                  .contains("connected are: payment.completed/crm-sync");
              assertThat(analysis.getAction()).startsWith("Correct the signal or receiver name");
            });
  }

  @Test
  void receiverMethodOfAnotherShapeFailsStartupSayingTheShape() {
    immediate
        .withUserConfiguration(TwoParameterReceiver.class)
        .run(
            context -> {
              FailureAnalysis analysis = analysis(context.getStartupFailure());
              assertThat(analysis.getDescription()).contains("takes 2 parameters");
              assertThat(analysis.getAction())
                  .contains("one parameter, the payload (T) or Delivery<T>");
            });
  }

  @Test
  void storeOnAnotherConnectionFactoryThanTheTransactionManagersFailsStartup() {
    runner
        .withPropertyValues(UNREACHED_DATABASE)
        .withUserConfiguration(TransactionManagerOnAnotherFactory.class)
        .run(
            context -> {
              FailureAnalysis analysis = analysis(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .contains(
                      "no R2dbcTransactionManager manages that one: 'otherTransactionManager' on")
                  .contains("NoTransactionException");
              assertThat(analysis.getAction())
                  .startsWith("Build the R2dbcTransactionManager on the ConnectionFactory bean");
            });
  }

  @Test
  void failureAnalyzerIsRegisteredWithSpringBoot() {
    // Spring Boot's own analyzers need constructor arguments; only whether Herald's loads counts.
    List<FailureAnalyzer> analyzers =
        SpringFactoriesLoader.forDefaultResourceLocation()
            .load(
                FailureAnalyzer.class,
                null,
                SpringFactoriesLoader.FailureHandler.handleMessage((message, failure) -> {}));

    assertThat(analyzers).hasAtLeastOneElementOfType(HeraldFailureAnalyzer.class);
  }

  private static FailureAnalysis analysis(Throwable failure) {
    assertThat(failure).isNotNull();
    FailureAnalysis analysis = new HeraldFailureAnalyzer().analyze(failure);
    assertThat(analysis).as("analysis of %s", failure).isNotNull();
    return analysis;
  }

  record Payment(long id) {}

  record Order(long id) {}

  @Configuration(proxyBeanMethods = false)
  static class OwnHerald {
    static final Store STORE = InMemoryTaskStore.create();

    @Bean
    Store ownStore() {
      return STORE;
    }

    @Bean
    Herald ownHerald(Store store) {
      return Herald.builder(store)
          .options(dev.herald.HeraldOptions.builder().nodeId("own").build())
          .build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class PaymentSignal {
    @Bean
    Signal<Payment> paymentCompleted(Herald herald) {
      return herald.signal("payment.completed", Payment.class);
    }
  }

  static class OrderReceiver {
    @HeraldReceiver(signal = "payment.completed", name = "crm-sync")
    Mono<Void> sync(Order order) {
      return Mono.empty();
    }
  }

  static class PaymentReceiver {
    @HeraldReceiver(signal = "payment.completed", name = "crm-sync")
    Mono<Void> sync(Delivery<Payment> delivery) {
      return Mono.empty();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class SecondCrmSync {
    @Bean
    ReceiverRegistration<Payment> secondCrmSync() {
      return ReceiverRegistration.of(
          "payment.completed", "crm-sync", Payment.class, d -> Mono.empty());
    }
  }

  static class TwoParameterReceiver {
    @HeraldReceiver(signal = "payment.completed", name = "crm-sync")
    Mono<Void> sync(Payment payment, String extra) {
      return Mono.empty();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class TransactionManagerOnAnotherFactory {
    @Bean
    R2dbcTransactionManager otherTransactionManager() {
      return new R2dbcTransactionManager(
          new PostgresqlConnectionFactory(
              PostgresqlConnectionConfiguration.builder()
                  .host("127.0.0.1")
                  .port(1)
                  .username("none")
                  .build()));
    }
  }
}
