package dev.herald.readme;

import io.r2dbc.spi.Connection;
import reactor.core.publisher.Mono;

/**
 * Application code a quickstart calls (a stand-in the tests implement): the payments table, on the
 * caller's R2DBC connection.
 */
interface Payments {
  Mono<Void> markSucceeded(Connection conn, long paymentId);
}
