/**
 * Herald's operator dashboard: a framework-neutral page and JSON model over Herald's public API,
 * with thin mounts for Spring WebFlux ({@code dev.herald.dashboard.spring}) and Vert.x Web ({@code
 * dev.herald.dashboard.vertx}).
 */
package dev.herald.dashboard;
