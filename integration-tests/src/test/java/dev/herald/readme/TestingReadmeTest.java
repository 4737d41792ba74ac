package dev.herald.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.Signal;
import dev.herald.testing.InMemoryTaskStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The README's "Testing your own code with Herald": the immediate in-memory store. */
class TestingReadmeTest {

  /** An application's orders, in memory. */
  static final class OrderBook {
    private final Map<Long, String> status = new ConcurrentHashMap<>();

    Mono<Void> complete(long orderId) {
      return Mono.fromRunnable(() -> status.put(orderId, "completed"));
    }

    String status(long orderId) {
      return status.getOrDefault(orderId, "pending");
    }
  }

  /** An application service that sends the signal in the caller's transaction. */
  record PaymentService(Signal<PaymentCompleted> paymentCompleted) {
    Mono<Void> complete(long paymentId, long orderId) {
      return paymentCompleted.sendReliable(new PaymentCompleted(paymentId, orderId));
    }
  }

  @Test
  void receiversHaveRunWhenTheTransactionReturns() {
    OrderBook orders = new OrderBook();
    long paymentId = 7;
    long orderId = 42;
    // tag::testing-immediate[]
    InMemoryTaskStore store = InMemoryTaskStore.immediate();
    Herald herald = Herald.builder(store).build(); // wire signals and receivers as in production
    Signal<PaymentCompleted> paymentCompleted =
        herald.signal("payment.completed", PaymentCompleted.class);
    paymentCompleted.connect("complete-order", d -> orders.complete(d.payload().orderId()));
    PaymentService paymentService = new PaymentService(paymentCompleted);
    herald.start();

    StepVerifier.create(store.inTransaction(paymentService.complete(paymentId, orderId)))
        .verifyComplete();
    assertThat(orders.status(orderId)).isEqualTo("completed"); // receivers already ran
    assertThat(store.tasks()).isEmpty(); // or inspect the dead letters: herald.deadLetters()
    // end::testing-immediate[]
    StepVerifier.create(herald.close()).verifyComplete();
  }
}
