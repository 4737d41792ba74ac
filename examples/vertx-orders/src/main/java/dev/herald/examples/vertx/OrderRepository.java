package dev.herald.examples.vertx;

import dev.herald.examples.domain.Order;
import dev.herald.examples.domain.Payment;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowIterator;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * The {@code orders} and {@code payments} tables, through the Vert.x SQL client. Methods that take
 * a {@link SqlConnection} write inside the caller's transaction; those that take a {@link
 * SqlClient} work on a pool or a connection alike.
 */
final class OrderRepository {

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

  private final Pool pool;

  /**
   * Creates the repository.
   *
   * @param pool the shared pool
   */
  OrderRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Creates the tables if they do not exist.
   *
   * @return succeeds when they do
   */
  public Future<Void> createSchema() {
    // query(), not preparedQuery(): the simple protocol runs several statements at once.
    return pool.query(SCHEMA).execute().mapEmpty();
  }

  /**
   * Inserts an order and its pending payment, in the caller's transaction.
   *
   * @param conn the transaction's connection
   * @param amountCents the amount, in cents
   * @return the new order
   */
  public Future<Order> insertOrder(SqlConnection conn, long amountCents) {
    return conn.preparedQuery("INSERT INTO orders (amount_cents) VALUES ($1) RETURNING id")
        .execute(Tuple.of(amountCents))
        .map(rows -> rows.iterator().next().getLong(0))
        .compose(
            orderId ->
                conn.preparedQuery("INSERT INTO payments (order_id) VALUES ($1) RETURNING id")
                    .execute(Tuple.of(orderId))
                    .map(
                        rows ->
                            new Order(
                                orderId,
                                amountCents,
                                Order.PENDING,
                                rows.iterator().next().getLong(0),
                                Payment.PENDING)));
  }

  /**
   * Finds an order with its payment.
   *
   * @param db a pool or connection
   * @param orderId the order
   * @return the order, or null if there is none
   */
  public Future<Order> findOrder(SqlClient db, long orderId) {
    return db.preparedQuery(SELECT_ORDER + " WHERE o.id = $1")
        .execute(Tuple.of(orderId))
        .map(
            rows -> {
              RowIterator<Row> it = rows.iterator();
              if (!it.hasNext()) {
                return null;
              }
              Row row = it.next();
              return new Order(
                  row.getLong("id"),
                  row.getLong("amount_cents"),
                  row.getString("status"),
                  row.getLong("payment_id"),
                  row.getString("payment_status"));
            });
  }

  /**
   * Finds a payment.
   *
   * @param db a pool or connection
   * @param paymentId the payment
   * @return the payment, or null if there is none
   */
  public Future<Payment> findPayment(SqlClient db, long paymentId) {
    return db.preparedQuery(
            "SELECT p.id, p.order_id, o.amount_cents, p.status"
                + " FROM payments p JOIN orders o ON o.id = p.order_id WHERE p.id = $1")
        .execute(Tuple.of(paymentId))
        .map(
            rows -> {
              RowIterator<Row> it = rows.iterator();
              if (!it.hasNext()) {
                return null;
              }
              Row row = it.next();
              return new Payment(
                  row.getLong("id"),
                  row.getLong("order_id"),
                  row.getLong("amount_cents"),
                  row.getString("status"));
            });
  }

  /**
   * Moves a pending payment to its final status, in the caller's transaction.
   *
   * @param conn the transaction's connection
   * @param paymentId the payment
   * @param status {@link Payment#SUCCEEDED} or {@link Payment#FAILED}
   * @return true if the payment was pending (and is now updated), false otherwise
   */
  public Future<Boolean> settlePayment(SqlConnection conn, long paymentId, String status) {
    return conn.preparedQuery(
            "UPDATE payments SET status = $2 WHERE id = $1 AND status = 'pending'")
        .execute(Tuple.of(paymentId, status))
        .map(rows -> rows.rowCount() > 0);
  }

  /**
   * Marks an order completed; idempotent.
   *
   * @param db a pool or connection
   * @param orderId the order
   * @return true if this call completed it, false if it already was (or does not exist)
   */
  public Future<Boolean> completeOrder(SqlClient db, long orderId) {
    return db.preparedQuery(
            "UPDATE orders SET status = 'completed' WHERE id = $1 AND status = 'pending'")
        .execute(Tuple.of(orderId))
        .map(rows -> rows.rowCount() > 0);
  }
}
