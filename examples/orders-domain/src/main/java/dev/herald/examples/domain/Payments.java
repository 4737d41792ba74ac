package dev.herald.examples.domain;

import reactor.core.publisher.Mono;

/**
 * The demo's orders and payments on one data-access stack. Each demo implements it over its own
 * transactions (Spring's {@code TransactionalOperator} on R2DBC, {@code Pool.withTransaction} on
 * the Vert.x SQL client), and {@link DemoScenario} drives it; the rest of the story is written
 * once.
 *
 * <p>Every method is lazy: nothing happens until the returned {@code Mono} is subscribed, and each
 * subscription runs the operation again. Implementations must not block.
 */
public interface Payments {

  /**
   * Creates an order and its pending payment, in one transaction.
   *
   * @param amountCents the amount, in cents, positive (the web layers check it with {@link
   *     ApiInput#amountCents})
   * @return the new order, {@code pending} with a {@code pending} payment
   */
  Mono<Order> createOrder(long amountCents);

  /**
   * Completes a pending payment in one transaction: sets its status and, when it succeeded, sends
   * {@code payment.completed}, then runs {@link FraudCheck#verify}. The transaction ends as a
   * whole:
   *
   * <ul>
   *   <li>commit: the payment is {@code succeeded} or {@code failed}; for a success, the signal's
   *       tasks committed with it and its receivers run, at least once;
   *   <li>rollback: nothing changed, the payment is still {@code pending}, no receiver ever runs.
   * </ul>
   *
   * @param paymentId the payment
   * @param succeeded whether the payment succeeded
   * @return the payment as completed; fails with {@link FraudCheck.FraudSuspectedException} when
   *     the fraud check rolled it back, or with the stack's own not-found (404) or conflict (409)
   *     error when the payment does not exist or is not pending
   */
  Mono<Payment> complete(long paymentId, boolean succeeded);

  /**
   * Reads an order with its payment, as committed.
   *
   * @param orderId the order
   * @return the order, or empty if there is none
   */
  Mono<Order> findOrder(long orderId);
}
