package dev.herald.spring;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * OpenTelemetry (on this module's test classpath for the tracing tests) finds its context storage
 * once per JVM, reading a service file; the first HTTP request of whichever test class runs first
 * makes that happen on a server event loop. A library's one-time class initialization, not Herald's
 * code: allowed there and nowhere else.
 */
public final class LibraryInitBlockHound implements BlockHoundIntegration {

  @Override
  public void applyTo(BlockHound.Builder builder) {
    builder.allowBlockingCallsInside("io.opentelemetry.context.LazyStorage", "<clinit>");
  }
}
