/**
 * The Herald Vert.x demo: orders, payments, and a {@code payment.completed} signal sent in the
 * payment's Vert.x transaction, whose receivers complete the order and send a receipt if and only
 * if that transaction commits.
 */
package dev.herald.examples.vertx;
