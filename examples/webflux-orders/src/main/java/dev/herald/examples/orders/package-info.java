/**
 * The Herald WebFlux demo: the web layer, the R2DBC repository and the Spring wiring around the
 * shared orders domain ({@code dev.herald.examples.domain}).
 */
package dev.herald.examples.orders;
