package dev.herald.examples.vertx;

import dev.herald.Delivery;
import dev.herald.examples.domain.PaymentCompleted;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.function.Function;

/**
 * The {@code complete-order} receiver, written the Vert.x way (a function returning a {@link
 * Future}): marks the paid order completed, in its own transaction. Idempotent, as at-least-once
 * delivery requires: completing a completed order changes nothing.
 */
final class OrderCompleter implements Function<Delivery<PaymentCompleted>, Future<Void>> {

  private final Pool pool;
  private final OrderRepository orders;

  /**
   * Creates the receiver.
   *
   * @param pool the pool, for its transaction
   * @param orders the repository
   */
  OrderCompleter(Pool pool, OrderRepository orders) {
    this.pool = pool;
    this.orders = orders;
  }

  @Override
  public Future<Void> apply(Delivery<PaymentCompleted> delivery) {
    return pool.withTransaction(
        conn -> orders.completeOrder(conn, delivery.payload().orderId()).mapEmpty());
  }
}
