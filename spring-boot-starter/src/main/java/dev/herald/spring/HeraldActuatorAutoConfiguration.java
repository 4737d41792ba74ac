package dev.herald.spring;

import dev.herald.Herald;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Herald's health indicator ({@code herald}, limits under {@code herald.health}) and the {@code
 * herald} actuator endpoint, when Spring Boot's health and actuator modules are present and the
 * application has a {@link Herald}. Each can be turned off the Spring Boot way: {@code
 * management.health.herald.enabled=false}, {@code management.endpoint.herald.access=none}.
 */
@AutoConfiguration(after = HeraldAutoConfiguration.class)
@ConditionalOnBean(Herald.class)
@Import({
  HeraldActuatorAutoConfiguration.HealthIndicator.class,
  HeraldActuatorAutoConfiguration.AdminEndpoint.class
})
public final class HeraldActuatorAutoConfiguration {

  /** For Spring. */
  public HeraldActuatorAutoConfiguration() {}

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ReactiveHealthIndicator.class)
  @ConditionalOnEnabledHealthIndicator("herald")
  @EnableConfigurationProperties(HeraldHealthProperties.class)
  static class HealthIndicator {

    @Bean
    @ConditionalOnMissingBean(name = "heraldHealthIndicator")
    ReactiveHealthIndicator heraldHealthIndicator(
        Herald herald, HeraldHealthProperties limits, HeraldProperties properties) {
      boolean listens =
          !properties.test().immediate() && !Boolean.FALSE.equals(properties.store().listen());
      return new HeraldHealthIndicator(herald, limits, listens);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(Endpoint.class)
  @ConditionalOnAvailableEndpoint(HeraldEndpoint.class)
  static class AdminEndpoint {

    @Bean
    @ConditionalOnMissingBean
    HeraldEndpoint heraldEndpoint(Herald herald) {
      return new HeraldEndpoint(herald);
    }
  }
}
