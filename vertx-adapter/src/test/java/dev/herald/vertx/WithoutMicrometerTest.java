package dev.herald.vertx;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Micrometer is optional: this module's tests run without it, so the conformance kit that runs here
 * proves that Herald's core and this adapter work with no Micrometer on the classpath.
 */
class WithoutMicrometerTest {

  @Test
  void micrometerIsNotOnTheTestClasspath() {
    assertThatThrownBy(() -> Class.forName("io.micrometer.core.instrument.MeterRegistry"))
        .isInstanceOf(ClassNotFoundException.class);
  }
}
