package dev.herald.spring;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * The tests' BlockHound allowance for OpenTelemetry: its context storage is picked once, through a
 * {@code ServiceLoader} that reads the classpath, by whichever thread first asks for the current
 * context. With Spring Boot's tracing on, that may be an event loop; the read happens once per JVM,
 * in the class's static initializer.
 */
public final class OpenTelemetryBlockHound implements BlockHoundIntegration {

  @Override
  public void applyTo(BlockHound.Builder builder) {
    builder.allowBlockingCallsInside("io.opentelemetry.context.LazyStorage", "<clinit>");
  }
}
