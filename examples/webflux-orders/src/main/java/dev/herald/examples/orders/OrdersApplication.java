package dev.herald.examples.orders;

import dev.herald.Herald;
import dev.herald.Signal;
import dev.herald.examples.domain.DeliveryJournal;
import dev.herald.examples.domain.PaymentCompleted;
import dev.herald.examples.domain.ReceiptSender;
import dev.herald.spring.ReceiverRegistration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The Herald WebFlux demo: orders, payments, and a {@code payment.completed} signal whose receivers
 * complete the order and send a receipt if and only if the payment's transaction commits.
 *
 * <p>Herald comes from {@code herald-spring-boot-starter}: its store on the {@code spring.r2dbc}
 * pool, the schema, start and graceful close, {@code herald.*} properties. What is left here is the
 * signal and the receivers: {@link OrderCompleter}'s {@code @HeraldReceiver} method and the {@code
 * send-receipt} registration below.
 *
 * <p>Runs on an embedded PostgreSQL unless {@code HERALD_DATABASE_URL} names a server (see {@link
 * DemoDatabaseInitializer}), plays a short scenario on start and prints its account, then serves
 * the HTTP API.
 */
@SpringBootApplication
public class OrdersApplication {

  /**
   * Starts the demo.
   *
   * @param args Spring Boot arguments, such as {@code --server.port=9090}
   */
  public static void main(String[] args) {
    SpringApplication.run(OrdersApplication.class, args);
  }

  /**
   * The {@code payment.completed} signal, declared once with its payload type; {@link
   * PaymentService} sends it.
   *
   * @param herald the starter's instance
   * @return the signal
   */
  @Bean
  Signal<PaymentCompleted> paymentCompleted(Herald herald) {
    return herald.signal(PaymentCompleted.SIGNAL, PaymentCompleted.class);
  }

  /**
   * The {@code send-receipt} receiver, the shared domain's {@link ReceiptSender}, as a bean.
   *
   * @param journal records which payment each task carried, for the demo's account
   * @return the registration
   */
  @Bean
  ReceiverRegistration<PaymentCompleted> sendReceipt(DeliveryJournal journal) {
    return ReceiverRegistration.of(
        PaymentCompleted.SIGNAL,
        PaymentCompleted.SEND_RECEIPT,
        PaymentCompleted.class,
        journal.recording(new ReceiptSender()));
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
}
