package dev.herald.examples.vertx;

import dev.herald.Signal;
import dev.herald.examples.domain.FraudCheck;
import dev.herald.examples.domain.Order;
import dev.herald.examples.domain.Payment;
import dev.herald.examples.domain.PaymentCompleted;
import dev.herald.vertx.VertxTaskStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/**
 * Creates orders and completes their payments. Completing a payment updates it and sends {@code
 * payment.completed} in one {@code pool.withTransaction}: the receivers run if and only if it
 * commits.
 */
final class PaymentService {

  private final Pool pool;
  private final OrderRepository orders;
  private final Signal<PaymentCompleted> paymentCompleted;

  /**
   * Creates the service.
   *
   * @param pool the pool, for transactions
   * @param orders the repository
   * @param paymentCompleted the signal
   */
  PaymentService(Pool pool, OrderRepository orders, Signal<PaymentCompleted> paymentCompleted) {
    this.pool = pool;
    this.orders = orders;
    this.paymentCompleted = paymentCompleted;
  }

  /**
   * Creates an order and its pending payment, in one transaction.
   *
   * @param amountCents the amount, in cents, positive
   * @return the new order
   */
  Future<Order> createOrder(long amountCents) {
    return pool.withTransaction(conn -> orders.insertOrder(conn, amountCents));
  }

  /**
   * Completes a pending payment in one transaction: sets its status and, when it succeeded, sends
   * {@code payment.completed}. The fraud check runs last; if it rejects the payment, the whole
   * transaction rolls back, the signal's tasks included, and no receiver ever runs.
   *
   * @param paymentId the payment
   * @param succeeded whether the payment succeeded
   * @return the payment as completed; fails with a 404 or 409 {@link ApiException} if it does not
   *     exist or is not pending, or with {@link FraudCheck.FraudSuspectedException}
   */
  Future<Payment> complete(long paymentId, boolean succeeded) {
    String status = succeeded ? Payment.SUCCEEDED : Payment.FAILED;
    return pool.withTransaction(
        conn ->
            orders
                .findPayment(conn, paymentId)
                .compose(
                    payment -> {
                      if (payment == null) {
                        return Future.failedFuture(
                            new ApiException(404, "no payment " + paymentId));
                      }
                      return orders
                          .settlePayment(conn, paymentId, status)
                          .compose(
                              settled ->
                                  settled
                                      ? Future.succeededFuture(
                                          new Payment(
                                              payment.id(),
                                              payment.orderId(),
                                              payment.amountCents(),
                                              status))
                                      : Future.failedFuture(
                                          new ApiException(
                                              409,
                                              "payment " + paymentId + " is " + payment.status())));
                    })
                .compose(
                    payment ->
                        succeeded
                            ? VertxTaskStore.sendReliable(
                                    conn,
                                    paymentCompleted,
                                    new PaymentCompleted(
                                        payment.id(), payment.orderId(), payment.amountCents()))
                                .map(
                                    v -> {
                                      // Throws to fail, and so roll back, the transaction.
                                      FraudCheck.verify(payment);
                                      return payment;
                                    })
                            : Future.succeededFuture(payment)));
  }
}
