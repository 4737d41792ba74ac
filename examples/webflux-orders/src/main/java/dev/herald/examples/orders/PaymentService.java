package dev.herald.examples.orders;

import dev.herald.Signal;
import dev.herald.examples.domain.FraudCheck;
import dev.herald.examples.domain.Order;
import dev.herald.examples.domain.Payment;
import dev.herald.examples.domain.PaymentCompleted;
import dev.herald.examples.domain.Payments;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * Creates orders and completes their payments. Completing a payment updates it and sends {@code
 * payment.completed} in one transaction (a {@link TransactionalOperator}): the receivers run if and
 * only if it commits.
 */
@Service
class PaymentService implements Payments {

  private final OrderRepository orders;
  private final Signal<PaymentCompleted> paymentCompleted;
  private final TransactionalOperator tx;

  /**
   * Creates the service.
   *
   * @param orders the repository
   * @param paymentCompleted the signal
   * @param tx transactions on the pool Herald's store uses
   */
  PaymentService(
      OrderRepository orders, Signal<PaymentCompleted> paymentCompleted, TransactionalOperator tx) {
    this.orders = orders;
    this.paymentCompleted = paymentCompleted;
    this.tx = tx;
  }

  @Override
  public Mono<Order> createOrder(long amountCents) {
    return orders.insertOrder(amountCents).as(tx::transactional);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here the not-found and conflict errors are 404 and 409 {@link ResponseStatusException}s.
   */
  @Override
  public Mono<Payment> complete(long paymentId, boolean succeeded) {
    String status = succeeded ? Payment.SUCCEEDED : Payment.FAILED;
    Mono<Payment> work =
        orders
            .findPayment(paymentId)
            .switchIfEmpty(
                Mono.error(
                    () ->
                        new ResponseStatusException(
                            HttpStatus.NOT_FOUND, "no payment " + paymentId)))
            .flatMap(
                payment ->
                    orders
                        .settlePayment(paymentId, status)
                        .filter(Boolean::booleanValue)
                        .switchIfEmpty(
                            Mono.error(
                                () ->
                                    new ResponseStatusException(
                                        HttpStatus.CONFLICT,
                                        "payment " + paymentId + " is " + payment.status())))
                        .thenReturn(
                            new Payment(
                                payment.id(), payment.orderId(), payment.amountCents(), status)))
            .flatMap(
                payment ->
                    succeeded
                        ? paymentCompleted
                            .sendReliable(
                                new PaymentCompleted(
                                    payment.id(), payment.orderId(), payment.amountCents()))
                            .then(Mono.fromRunnable(() -> FraudCheck.verify(payment)))
                            .thenReturn(payment)
                        : Mono.just(payment));
    return work.as(tx::transactional);
  }

  @Override
  public Mono<Order> findOrder(long orderId) {
    return orders.findOrder(orderId);
  }
}
