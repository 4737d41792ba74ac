package dev.herald.examples.orders;

import dev.herald.Delivery;
import dev.herald.examples.domain.DeliveryJournal;
import dev.herald.examples.domain.PaymentCompleted;
import dev.herald.spring.HeraldReceiver;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import reactor.core.publisher.Mono;

/**
 * The {@code complete-order} receiver: marks the paid order completed, in its own transaction.
 * Idempotent, as at-least-once delivery requires: completing a completed order changes nothing.
 */
@Component
class OrderCompleter {

  private final OrderRepository orders;
  private final DeliveryJournal journal;

  /**
   * Creates the receiver.
   *
   * @param orders the repository
   * @param journal records which payment each task carried, for the demo's account
   */
  OrderCompleter(OrderRepository orders, DeliveryJournal journal) {
    this.orders = orders;
    this.journal = journal;
  }

  /**
   * Completes the payment's order. The starter connects this method before Herald starts, with the
   * options of {@code herald.receiver-defaults.*}; {@code @Transactional} gives each attempt a
   * transaction of its own.
   *
   * @param delivery the task: the payload, and the task id and attempt
   * @return completes when the order is completed
   */
  @Transactional
  @HeraldReceiver(signal = PaymentCompleted.SIGNAL, name = PaymentCompleted.COMPLETE_ORDER)
  public Mono<Void> complete(Delivery<PaymentCompleted> delivery) {
    journal.record(delivery);
    return orders.completeOrder(delivery.payload().orderId()).then();
  }
}
