package dev.herald.readme;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * Application code a quickstart calls (a stand-in the tests implement): the payments table, on the
 * caller's Vert.x connection.
 */
interface VertxPayments {
  Future<Void> markSucceeded(SqlConnection conn, long paymentId);
}
