/**
 * Herald's task store on the Vert.x 5 PostgreSQL client ({@link dev.herald.vertx.VertxTaskStore}),
 * with a Vert.x {@code Future} facade for sending and receiving ({@link
 * dev.herald.vertx.VertxReceivers}).
 */
package dev.herald.vertx;
