package dev.herald.examples.orders;

import dev.herald.Herald;
import dev.herald.HeraldOptions;
import dev.herald.ReceiverOptions;
import dev.herald.RetryPolicy;
import dev.herald.Signal;
import dev.herald.examples.domain.DeliveryJournal;
import dev.herald.examples.domain.PaymentCompleted;
import dev.herald.examples.domain.ReceiptSender;
import dev.herald.r2dbc.R2dbcTaskStore;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Herald: the task store on the shared pool, the instance, and the {@code payment.completed} signal
 * with its two receivers. {@link HeraldLifecycle} installs the schema, starts and closes it.
 */
@Configuration(proxyBeanMethods = false)
class HeraldConfiguration {

  /**
   * The task store, on the very {@link ConnectionFactory} instance that the transaction manager
   * uses: that is how {@code sendReliable} finds the caller's transaction.
   *
   * @param connectionFactory the shared pool
   * @return the store
   */
  @Bean
  R2dbcTaskStore taskStore(ConnectionFactory connectionFactory) {
    return R2dbcTaskStore.create(connectionFactory);
  }

  /**
   * The Herald instance; started and closed by {@link HeraldLifecycle}, not by the container.
   *
   * @param store the store
   * @return the instance
   */
  @Bean(destroyMethod = "")
  Herald herald(R2dbcTaskStore store) {
    return Herald.builder(store)
        .options(
            HeraldOptions.builder()
                .pollInterval(Duration.ofMillis(500))
                .shutdownGrace(Duration.ofSeconds(5))
                .build())
        .build();
  }

  /**
   * Records which payment each task carried, for the scenario's account.
   *
   * @return the journal
   */
  @Bean
  DeliveryJournal deliveryJournal() {
    return new DeliveryJournal();
  }

  /**
   * The {@code payment.completed} signal, with its receivers connected. Retries are kept fast for
   * the demo: 3 attempts, the first retry within 200 ms.
   *
   * @param herald the instance
   * @param orderCompleter the {@code complete-order} receiver
   * @param journal records which payment each task carried, for the demo's account
   * @return the signal
   */
  @Bean
  Signal<PaymentCompleted> paymentCompleted(
      Herald herald, OrderCompleter orderCompleter, DeliveryJournal journal) {
    ReceiverOptions options =
        ReceiverOptions.builder()
            .concurrency(8)
            .timeout(Duration.ofSeconds(5))
            .retryPolicy(
                RetryPolicy.builder()
                    .maxAttempts(3)
                    .initialDelay(Duration.ofMillis(200))
                    .maxDelay(Duration.ofSeconds(2))
                    .build())
            .build();
    return herald
        .signal(PaymentCompleted.SIGNAL, PaymentCompleted.class)
        .connect(PaymentCompleted.COMPLETE_ORDER, options, journal.recording(orderCompleter))
        .connect(PaymentCompleted.SEND_RECEIPT, options, journal.recording(new ReceiptSender()));
  }
}
