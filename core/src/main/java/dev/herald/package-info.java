/**
 * Herald's application API: signals, receivers, the engine and its options. Everything public here
 * is API; the engine behind it (dispatcher, delivery pipeline, outcome writer, lease keeper, send
 * path) is package-private.
 */
package dev.herald;
