package dev.herald.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.context.Context;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@link OpenTelemetryBlockHound} is in force: OpenTelemetry's context storage may be set up by an
 * event loop (its one-time classpath read would otherwise fail its class for the whole test JVM).
 */
class OpenTelemetryBlockHoundTest {

  @Test
  void contextStorageMayBeSetUpOnANonBlockingThread() {
    assertThat(
            Mono.fromCallable(() -> Thread.currentThread().getName() + " " + Context.current())
                .subscribeOn(Schedulers.parallel())
                .block())
        .startsWith("parallel");
  }
}
