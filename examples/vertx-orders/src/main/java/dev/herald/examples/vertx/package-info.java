/**
 * The Herald Vert.x demo: the web layer, the Vert.x SQL client repository and the wiring around the
 * shared orders domain ({@code dev.herald.examples.domain}); the {@code payment.completed} signal
 * is sent in the payment's Vert.x transaction, and its receivers complete the order and send a
 * receipt if and only if that transaction commits.
 */
package dev.herald.examples.vertx;
