/**
 * Spring Boot auto-configuration for Herald on R2DBC: properties, receivers as beans, lifecycle.
 */
package dev.herald.spring;
