package dev.herald.spring;

import dev.herald.Herald;
import dev.herald.spring.HeraldProperties.SchemaMode;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * What {@code herald.schema.mode} does before Herald starts: install, validate or nothing.
 *
 * @param mode the mode
 * @param work the step, cold
 * @param timeout the longest it may take
 */
record SchemaStep(SchemaMode mode, Mono<Void> work, Duration timeout) {

  /**
   * The step for the configured mode.
   *
   * @param connectionFactory the application's, or null (validation then fails)
   * @param immediate whether the immediate test mode is on: it has no database schema
   */
  static SchemaStep of(
      HeraldProperties properties,
      Herald herald,
      ConnectionFactory connectionFactory,
      boolean immediate) {
    SchemaMode mode = immediate ? SchemaMode.NONE : properties.schema().mode();
    Mono<Void> work =
        switch (mode) {
          case INSTALL -> herald.installSchema();
          case VALIDATE ->
              connectionFactory != null
                  ? SchemaValidation.check(connectionFactory, properties.store().tableName())
                  : Mono.error(
                      new HeraldStartupException(
                          "herald.schema.mode=validate checks the schema over the application's"
                              + " ConnectionFactory, and there is none.",
                          "Configure spring.r2dbc.* (or a ConnectionFactory bean), or set"
                              + " herald.schema.mode=none."));
          case NONE -> Mono.empty();
        };
    return new SchemaStep(mode, work, properties.schema().timeout());
  }

  /**
   * Runs the step on the calling thread, which must not be a reactive one.
   *
   * @throws HeraldStartupException if it fails or times out
   */
  void run() {
    try {
      work.block(timeout);
    } catch (HeraldStartupException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new HeraldStartupException(
          "Herald's schema step (herald.schema.mode="
              + mode.name().toLowerCase(java.util.Locale.ROOT)
              + ", within herald.schema.timeout="
              + timeout
              + ") failed: "
              + e.getMessage(),
          "Check that the database in spring.r2dbc.url is reachable and that its user may create"
              + " tables and functions; or migrate Herald's schema yourself and set"
              + " herald.schema.mode=validate or none.",
          e);
    }
  }
}
