package dev.herald.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.PermanentFailureException;
import dev.herald.Signal;
import dev.herald.TaskInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Receivers connected from beans run with their own properties over the defaults. Observed in the
 * immediate test mode, where a failing receiver is retried at once up to its max attempts inside
 * the Spring transaction's commit (on the test PostgreSQL's transaction manager).
 */
class ReceiverOptionsIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  R2dbcAutoConfiguration.class,
                  R2dbcTransactionManagerAutoConfiguration.class,
                  HeraldAutoConfiguration.class))
          .withPropertyValues(TestDatabaseProperties.withFreshTable())
          .withPropertyValues("herald.test.immediate=true")
          .withUserConfiguration(FailingReceivers.class);

  @Test
  void eachReceiverRunsWithItsBlockOverTheDefaults() {
    runner
        .withPropertyValues(
            "herald.receiver-defaults.retry.max-attempts=4",
            "herald.receiver-defaults.retry.initial-delay=1ms",
            "herald.receivers.payment.completed.flaky.retry.max-attempts=2")
        .run(
            context -> {
              FailingReceivers receivers = context.getBean(FailingReceivers.class);

              send(context, "p-1");

              assertThat(receivers.flaky.get()).isEqualTo(2);
              assertThat(receivers.throwing.get()).isEqualTo(4);
              assertThat(receivers.permanent.get()).isEqualTo(1);
              assertThat(deadLetters(context))
                  .extracting(TaskInfo::receiver, TaskInfo::attempt)
                  .containsExactlyInAnyOrder(
                      org.assertj.core.groups.Tuple.tuple("flaky", 2),
                      org.assertj.core.groups.Tuple.tuple("throwing", 4),
                      org.assertj.core.groups.Tuple.tuple("permanent", 1));
            });
  }

  private static void send(org.springframework.context.ApplicationContext context, String payload) {
    Signal<String> signal = context.getBean(Herald.class).signal("payment.completed", String.class);
    TransactionalOperator tx =
        TransactionalOperator.create(context.getBean(ReactiveTransactionManager.class));
    signal.sendReliable(payload).as(tx::transactional).block(TIMEOUT);
  }

  private static List<TaskInfo> deadLetters(
      org.springframework.context.ApplicationContext context) {
    return context.getBean(Herald.class).deadLetters().list(100).collectList().block(TIMEOUT);
  }

  /** A registration that fails, a void method that throws, and one that gives up at once. */
  @Configuration(proxyBeanMethods = false)
  static class FailingReceivers {
    final AtomicInteger flaky = new AtomicInteger();
    final AtomicInteger throwing = new AtomicInteger();
    final AtomicInteger permanent = new AtomicInteger();

    @Bean
    ReceiverRegistration<String> flakyReceiver() {
      return ReceiverRegistration.of(
          "payment.completed",
          "flaky",
          String.class,
          d -> Mono.error(new IllegalStateException("down, attempt " + flaky.incrementAndGet())));
    }

    @HeraldReceiver(signal = "payment.completed", name = "throwing")
    void throwing(String payload) {
      throw new IllegalStateException("thrown, attempt " + throwing.incrementAndGet());
    }

    @HeraldReceiver(signal = "payment.completed", name = "permanent")
    Mono<Void> permanent(String payload) {
      permanent.incrementAndGet();
      return Mono.error(new PermanentFailureException("never valid: " + payload));
    }
  }
}
