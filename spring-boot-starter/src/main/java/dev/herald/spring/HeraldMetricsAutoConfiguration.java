package dev.herald.spring;

import dev.herald.Herald;
import dev.herald.HeraldMetrics;
import java.time.Duration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Binds {@link HeraldMetrics} to the application's Micrometer registry when there is one (Spring
 * Boot Actuator's metrics, or any {@code MeterRegistry} bean): Spring Boot binds every {@code
 * MeterBinder} bean to its registries.
 *
 * <ul>
 *   <li>Only with Micrometer on the classpath, a {@code MeterRegistry} bean and the {@link Herald}
 *       bean; {@code herald.metrics.enabled=false} turns it off.
 *   <li>{@code herald.metrics.stats-period} (a duration, 15 s by default) sets how often the
 *       gauges' statistics are queried.
 *   <li>An application's own {@code HeraldMetrics} bean wins.
 * </ul>
 */
@AutoConfiguration(
    after = HeraldAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
    })
@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
@ConditionalOnBooleanProperty(name = "herald.metrics.enabled", matchIfMissing = true)
@ConditionalOnBean(type = {"dev.herald.Herald", "io.micrometer.core.instrument.MeterRegistry"})
public final class HeraldMetricsAutoConfiguration {

  /** For Spring. */
  public HeraldMetricsAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean
  HeraldMetrics heraldMetrics(Herald herald, Environment environment) {
    // Read here rather than in HeraldProperties: metrics are an optional part of the starter.
    Duration period =
        Binder.get(environment)
            .bind("herald.metrics.stats-period", Duration.class)
            .orElse(HeraldMetrics.DEFAULT_STATS_PERIOD);
    return HeraldMetrics.builder(herald).statsPeriod(period).build();
  }
}
