/**
 * What the two Herald demos share, free of Spring and Vert.x: the orders and payments model, the
 * scenario and its account, the demo database, the receivers' stack-neutral logic and the rules for
 * the HTTP APIs' input.
 */
package dev.herald.examples.domain;
