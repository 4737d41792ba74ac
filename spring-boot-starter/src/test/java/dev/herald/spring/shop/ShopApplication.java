package dev.herald.spring.shop;

import dev.herald.Herald;
import dev.herald.Signal;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A WebFlux service as a user writes it with the starter: spring.r2dbc.* properties, a
 * {@code @Transactional} service that sends {@code payment.completed}, and two annotated receivers.
 * Its only Herald wiring is the signal's declaration.
 */
@SpringBootApplication
public class ShopApplication {

  /** The signal, declared once with its payload type; the service injects it. */
  @Bean
  Signal<PaymentCompleted> paymentCompleted(Herald herald) {
    return herald.signal(PaymentCompleted.SIGNAL, PaymentCompleted.class);
  }
}
