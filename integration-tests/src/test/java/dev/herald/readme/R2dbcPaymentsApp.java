package dev.herald.readme;

// tag::r2dbc-quickstart[]
import dev.herald.Herald;
import dev.herald.ReceiverOptions;
import dev.herald.Signal;
import dev.herald.r2dbc.R2dbcTaskStore;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import java.time.Duration;
import reactor.core.publisher.Mono;

class R2dbcPaymentsApp {

  private final ConnectionPool pool;
  private final Herald herald;
  private final R2dbcTaskStore store;
  private final Signal<PaymentCompleted> paymentCompleted;
  private final Payments payments;

  R2dbcPaymentsApp(String url, Payments payments, Orders orders, Mailer mailer) {
    // url: r2dbc:postgresql://app:secret@localhost:5432/shop
    pool =
        new ConnectionPool(
            ConnectionPoolConfiguration.builder(ConnectionFactories.get(url)).build());
    store = R2dbcTaskStore.create(pool); // table herald_task
    herald = Herald.builder(store).build();
    this.payments = payments;

    paymentCompleted = herald.signal("payment.completed", PaymentCompleted.class);
    paymentCompleted.connect("complete-order", d -> orders.complete(d.payload().orderId()));
    paymentCompleted.connect(
        "send-receipt",
        ReceiverOptions.builder().concurrency(4).timeout(Duration.ofSeconds(10)).build(),
        d -> mailer.sendReceipt(d.payload(), d.taskId())); // taskId: your idempotency key
  }

  /** Creates or upgrades the task table (idempotent), then starts delivering. */
  Mono<Void> start() {
    return herald.installSchema().then(Mono.fromRunnable(herald::start));
  }

  /** Herald's transaction helper: commits when the work completes, wakes the dispatcher. */
  Mono<Void> complete(long paymentId, long orderId) {
    return store.inTransaction(
        conn ->
            payments
                .markSucceeded(conn, paymentId)
                .then(paymentCompleted.sendReliable(new PaymentCompleted(paymentId, orderId))));
  }

  /** Or your own transaction on an explicit connection: Herald never commits or closes it. */
  Mono<Void> complete(Connection conn, long paymentId, long orderId) {
    return payments
        .markSucceeded(conn, paymentId)
        .then(paymentCompleted.sendReliable(new PaymentCompleted(paymentId, orderId)))
        .contextWrite(R2dbcTaskStore.transaction(conn));
  }

  /** Stops claiming, lets running deliveries finish (shutdownGrace), releases the rest. */
  Mono<Void> close() {
    return herald.close().then(pool.disposeLater());
  }
}
// end::r2dbc-quickstart[]
