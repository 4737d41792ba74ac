package dev.herald.readme;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * Application code a quickstart calls (a stand-in the tests implement): the orders table, on a
 * Vert.x connection.
 */
interface VertxOrders {
  Future<Void> complete(SqlConnection conn, long orderId);
}
