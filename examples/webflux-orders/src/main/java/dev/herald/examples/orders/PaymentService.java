package dev.herald.examples.orders;

import dev.herald.Signal;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * Creates orders and completes their payments. Completing a payment updates it and sends {@code
 * payment.completed} in one transaction: the receivers run if and only if it commits.
 */
@Service
public class PaymentService {

  private final OrderRepository orders;
  private final Signal<PaymentCompleted> paymentCompleted;
  private final FraudCheck fraudCheck;
  private final TransactionalOperator tx;

  /**
   * Creates the service.
   *
   * @param orders the repository
   * @param paymentCompleted the signal
   * @param fraudCheck the fraud check, run after the signal is sent
   * @param tx transactions on the pool Herald's store uses
   */
  public PaymentService(
      OrderRepository orders,
      Signal<PaymentCompleted> paymentCompleted,
      FraudCheck fraudCheck,
      TransactionalOperator tx) {
    this.orders = orders;
    this.paymentCompleted = paymentCompleted;
    this.fraudCheck = fraudCheck;
    this.tx = tx;
  }

  /**
   * Creates an order and its pending payment, in one transaction.
   *
   * @param amountCents the amount, in cents, positive
   * @return the new order
   */
  public Mono<Order> createOrder(long amountCents) {
    if (amountCents <= 0) {
      return Mono.error(
          new ResponseStatusException(HttpStatus.BAD_REQUEST, "amountCents must be positive"));
    }
    return orders.insertOrder(amountCents).as(tx::transactional);
  }

  /**
   * Completes a pending payment in one transaction: sets its status and, when it succeeded, sends
   * {@code payment.completed}. The fraud check runs last; if it rejects the payment, the whole
   * transaction rolls back, the signal's tasks included, and no receiver ever runs.
   *
   * @param paymentId the payment
   * @param succeeded whether the payment succeeded
   * @return the payment as completed; fails with a 404 or 409 {@link ResponseStatusException} if it
   *     does not exist or is not pending, or with {@link FraudCheck.FraudSuspectedException}
   */
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
                            .then(fraudCheck.verify(payment))
                            .thenReturn(payment)
                        : Mono.just(payment));
    return work.as(tx::transactional);
  }
}
