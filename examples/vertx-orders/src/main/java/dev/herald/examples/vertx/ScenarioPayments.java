package dev.herald.examples.vertx;

import dev.herald.examples.domain.DemoScenario;
import dev.herald.examples.domain.Order;
import dev.herald.examples.domain.Payment;
import dev.herald.examples.domain.Payments;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * The {@link PaymentService} as the shared {@link DemoScenario} drives it: the same Vert.x
 * transactions, bridged to {@code Mono}s. Each {@code Mono} starts its future only when subscribed,
 * as {@link Payments} requires (a Vert.x future is under way as soon as it exists).
 */
final class ScenarioPayments implements Payments {

  private final PaymentService payments;
  private final OrderRepository orders;
  private final Pool pool;

  ScenarioPayments(PaymentService payments, OrderRepository orders, Pool pool) {
    this.payments = payments;
    this.orders = orders;
    this.pool = pool;
  }

  @Override
  public Mono<Order> createOrder(long amountCents) {
    return lazily(() -> payments.createOrder(amountCents));
  }

  @Override
  public Mono<Payment> complete(long paymentId, boolean succeeded) {
    return lazily(() -> payments.complete(paymentId, succeeded));
  }

  @Override
  public Mono<Order> findOrder(long orderId) {
    // The repository's null for "no such order" becomes an empty Mono.
    return lazily(() -> orders.findOrder(pool, orderId));
  }

  private static <T> Mono<T> lazily(Supplier<Future<T>> future) {
    return Mono.fromCompletionStage(() -> future.get().toCompletionStage());
  }
}
