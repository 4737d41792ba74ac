package dev.herald.readme;

// tag::vertx-quickstart[]
import dev.herald.Herald;
import dev.herald.Signal;
import dev.herald.vertx.VertxReceivers;
import dev.herald.vertx.VertxTaskStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import reactor.core.publisher.Mono;

class VertxPaymentsApp {

  private final Pool pool;
  private final Herald herald;
  private final Signal<PaymentCompleted> paymentCompleted;
  private final VertxPayments payments;

  VertxPaymentsApp(Vertx vertx, String uri, VertxPayments payments, VertxOrders orders) {
    // uri: postgresql://app:secret@localhost:5432/shop
    PgConnectOptions connect = PgConnectOptions.fromUri(uri).setCachePreparedStatements(true);
    pool =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(10))
            .connectingTo(connect)
            .using(vertx)
            .build();
    VertxTaskStore store =
        VertxTaskStore.create(pool, vertx, connect); // LISTEN on its own connection
    herald = Herald.builder(store).build();
    this.payments = payments;

    paymentCompleted = herald.signal("payment.completed", PaymentCompleted.class);
    paymentCompleted.connect( // a receiver may return a Vert.x Future
        "complete-order",
        VertxReceivers.fromFuture(
            d -> pool.withTransaction(conn -> orders.complete(conn, d.payload().orderId()))));
  }

  /** Creates or upgrades the task table (idempotent), then starts delivering. */
  Mono<Void> start() {
    return herald.installSchema().then(Mono.fromRunnable(herald::start));
  }

  /** Your transaction: the tasks commit or roll back with it; the dispatcher wakes on commit. */
  Future<Void> complete(long paymentId, long orderId) {
    return pool.withTransaction(
        conn ->
            payments
                .markSucceeded(conn, paymentId)
                .compose(
                    v ->
                        VertxTaskStore.sendReliable(
                            conn, paymentCompleted, new PaymentCompleted(paymentId, orderId))));
  }

  /** Stops claiming, lets running deliveries finish (shutdownGrace), releases the rest. */
  Mono<Void> close() {
    return herald.close().then(Mono.fromCompletionStage(() -> pool.close().toCompletionStage()));
  }
}
// end::vertx-quickstart[]
