package dev.herald.examples.orders;

import dev.herald.Delivery;
import dev.herald.Receiver;
import dev.herald.examples.domain.PaymentCompleted;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * The {@code complete-order} receiver: marks the paid order completed, in its own transaction.
 * Idempotent, as at-least-once delivery requires: completing a completed order changes nothing.
 */
@Component
class OrderCompleter implements Receiver<PaymentCompleted> {

  private final OrderRepository orders;
  private final TransactionalOperator tx;

  /**
   * Creates the receiver.
   *
   * @param orders the repository
   * @param tx transactions
   */
  OrderCompleter(OrderRepository orders, TransactionalOperator tx) {
    this.orders = orders;
    this.tx = tx;
  }

  @Override
  public Mono<Void> receive(Delivery<PaymentCompleted> delivery) {
    return orders.completeOrder(delivery.payload().orderId()).as(tx::transactional).then();
  }
}
