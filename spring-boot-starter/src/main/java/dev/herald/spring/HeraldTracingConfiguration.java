package dev.herald.spring;

import dev.herald.HeraldTracingHandler;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * With Micrometer Tracing (a {@link Tracer} and a {@link Propagator}, as Spring Boot's
 * OpenTelemetry and Brave auto-configurations provide), a {@link HeraldTracingHandler}: Spring Boot
 * registers every {@code TracingObservationHandler} bean with the {@code ObservationRegistry},
 * first match first, and this one comes before Spring Boot's propagating receiver handler (order
 * 1000), so that a retried delivery starts a new trace linked to its send instead of joining the
 * send's trace.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "io.micrometer.tracing.Tracer")
class HeraldTracingConfiguration {

  /** Before Spring Boot's receiver (1000) and sender (2000) tracing handlers. */
  static final int HANDLER_ORDER = 900;

  @Bean
  @Order(HANDLER_ORDER)
  @ConditionalOnMissingBean
  @ConditionalOnBean({Tracer.class, Propagator.class})
  HeraldTracingHandler heraldTracingHandler(Tracer tracer, Propagator propagator) {
    return new HeraldTracingHandler(tracer, propagator);
  }
}
