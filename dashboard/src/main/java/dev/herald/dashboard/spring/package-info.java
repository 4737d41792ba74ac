/**
 * The dashboard in a Spring Boot WebFlux application: auto-configured under {@code
 * herald.dashboard.*}, off by default.
 */
package dev.herald.dashboard.spring;
