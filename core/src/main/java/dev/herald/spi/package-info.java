/**
 * The seam that stores implement. Declared unstable: it may change in any release; applications use
 * {@code dev.herald} and an adapter's entry type instead.
 */
package dev.herald.spi;
