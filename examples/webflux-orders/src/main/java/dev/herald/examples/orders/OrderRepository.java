package dev.herald.examples.orders;

import dev.herald.examples.domain.Order;
import dev.herald.examples.domain.Payment;
import io.r2dbc.spi.Readable;
import java.time.Duration;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@code orders} and {@code payments} tables, through Spring's {@link DatabaseClient}: each
 * method joins the caller's transaction when there is one. Creates them, if missing, when the
 * context starts (Herald's task table is the starter's schema step).
 */
@Repository
class OrderRepository implements InitializingBean {

  private static final Duration SCHEMA_TIMEOUT = Duration.ofSeconds(30);

  private static final String SCHEMA =
      """
      CREATE TABLE IF NOT EXISTS orders (
        id           bigserial PRIMARY KEY,
        amount_cents bigint    NOT NULL CHECK (amount_cents > 0),
        status       text      NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed'))
      );
      CREATE TABLE IF NOT EXISTS payments (
        id       bigserial PRIMARY KEY,
        order_id bigint    NOT NULL REFERENCES orders (id),
        status   text      NOT NULL DEFAULT 'pending'
                           CHECK (status IN ('pending', 'succeeded', 'failed'))
      );
      """;

  private static final String SELECT_ORDER =
      """
      SELECT o.id, o.amount_cents, o.status, p.id AS payment_id, p.status AS payment_status
        FROM orders o JOIN payments p ON p.order_id = o.id
      """;

  private final DatabaseClient db;

  /**
   * Creates the repository.
   *
   * @param db the client on the shared pool
   */
  OrderRepository(DatabaseClient db) {
    this.db = db;
  }

  /**
   * Creates the tables on the container's starting thread (it may wait: no reactive thread), before
   * the web server takes requests. Not {@code spring.sql.init}: its script is read from the jar on
   * a reactive thread, which BlockHound rejects.
   */
  @Override
  public void afterPropertiesSet() {
    createSchema().block(SCHEMA_TIMEOUT);
  }

  /**
   * Creates the tables if they do not exist.
   *
   * @return completes when they do
   */
  public Mono<Void> createSchema() {
    return Flux.fromArray(SCHEMA.split(";"))
        .map(String::strip)
        .filter(sql -> !sql.isEmpty())
        .concatMap(sql -> db.sql(sql).then())
        .then();
  }

  /**
   * Inserts an order and its pending payment. Call it in a transaction.
   *
   * @param amountCents the amount, in cents
   * @return the new order
   */
  public Mono<Order> insertOrder(long amountCents) {
    return db.sql("INSERT INTO orders (amount_cents) VALUES ($1) RETURNING id")
        .bind(0, amountCents)
        .map(row -> row.get("id", Long.class))
        .one()
        .flatMap(
            orderId ->
                db.sql("INSERT INTO payments (order_id) VALUES ($1) RETURNING id")
                    .bind(0, orderId)
                    .map(row -> row.get("id", Long.class))
                    .one()
                    .map(
                        paymentId ->
                            new Order(
                                orderId, amountCents, Order.PENDING, paymentId, Payment.PENDING)));
  }

  /**
   * Finds an order with its payment.
   *
   * @param orderId the order
   * @return the order, or empty
   */
  public Mono<Order> findOrder(long orderId) {
    return db.sql(SELECT_ORDER + " WHERE o.id = $1")
        .bind(0, orderId)
        .map(OrderRepository::order)
        .one();
  }

  /**
   * Finds a payment.
   *
   * @param paymentId the payment
   * @return the payment, or empty
   */
  public Mono<Payment> findPayment(long paymentId) {
    return db.sql(
            "SELECT p.id, p.order_id, o.amount_cents, p.status"
                + " FROM payments p JOIN orders o ON o.id = p.order_id WHERE p.id = $1")
        .bind(0, paymentId)
        .map(
            row ->
                new Payment(
                    row.get("id", Long.class),
                    row.get("order_id", Long.class),
                    row.get("amount_cents", Long.class),
                    row.get("status", String.class)))
        .one();
  }

  /**
   * Moves a pending payment to its final status.
   *
   * @param paymentId the payment
   * @param status {@link Payment#SUCCEEDED} or {@link Payment#FAILED}
   * @return true if the payment was pending (and is now updated), false otherwise
   */
  public Mono<Boolean> settlePayment(long paymentId, String status) {
    return db.sql("UPDATE payments SET status = $2 WHERE id = $1 AND status = 'pending'")
        .bind(0, paymentId)
        .bind(1, status)
        .fetch()
        .rowsUpdated()
        .map(n -> n > 0);
  }

  /**
   * Marks an order completed; idempotent.
   *
   * @param orderId the order
   * @return true if this call completed it, false if it already was (or does not exist)
   */
  public Mono<Boolean> completeOrder(long orderId) {
    return db.sql("UPDATE orders SET status = 'completed' WHERE id = $1 AND status = 'pending'")
        .bind(0, orderId)
        .fetch()
        .rowsUpdated()
        .map(n -> n > 0);
  }

  private static Order order(Readable row) {
    return new Order(
        row.get("id", Long.class),
        row.get("amount_cents", Long.class),
        row.get("status", String.class),
        row.get("payment_id", Long.class),
        row.get("payment_status", String.class));
  }
}
