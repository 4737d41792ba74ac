package dev.herald.spring.shop;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

/**
 * Spring Security is on this module's test classpath (for {@link ShopActuatorSecurityIT}); the
 * other web tests open every path so that they test the endpoint, not Spring Security's defaults.
 */
@TestConfiguration(proxyBeanMethods = false)
public class OpenSecurity {

  @Bean
  SecurityWebFilterChain openChain(ServerHttpSecurity http) {
    return http.authorizeExchange(a -> a.anyExchange().permitAll())
        .csrf(ServerHttpSecurity.CsrfSpec::disable)
        .build();
  }
}
