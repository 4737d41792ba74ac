package dev.herald.spring.shop;

import dev.herald.spring.TestDatabaseProperties;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.security.autoconfigure.actuate.web.reactive.EndpointRequest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.NegatedServerWebExchangeMatcher;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The endpoint's writes enabled behind Spring Security, as the starter's README sets it up: only
 * the {@code HERALD_ADMIN} role may call it; anonymous and other users get 401 and 403, and nothing
 * changes.
 */
@SpringBootTest(
    classes = {ShopApplication.class, RejectedOrders.class, ShopActuatorSecurityIT.Security.class},
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.sql.init.mode=always",
      "spring.sql.init.schema-locations=classpath:shop-schema.sql",
      "herald.poll-interval=200ms",
      "herald.store.table-name=shop_actuator_security_task",
      "management.endpoints.web.exposure.include=health,herald",
      "management.endpoint.herald.access=unrestricted"
    })
@AutoConfigureWebTestClient
class ShopActuatorSecurityIT {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabaseProperties.register(registry);
  }

  @Autowired WebTestClient web;

  @Test
  void onlyTheAdminRoleReadsAndWrites() {
    Map<String, Object> purge = Map.of("action", "purge-all", "signal", RejectedOrders.SIGNAL);

    web.get().uri("/actuator/herald").exchange().expectStatus().isUnauthorized();
    web.post()
        .uri("/actuator/herald/dead-letters")
        .bodyValue(purge)
        .exchange()
        .expectStatus()
        .isUnauthorized();
    web.post()
        .uri("/actuator/herald/dead-letters")
        .headers(h -> h.setBasicAuth("viewer", "viewer-secret"))
        .bodyValue(purge)
        .exchange()
        .expectStatus()
        .isForbidden();
    web.get().uri("/actuator/health").exchange().expectStatus().isOk();

    web.post()
        .uri("/actuator/herald/dead-letters")
        .headers(h -> h.setBasicAuth("operator", "operator-secret"))
        .bodyValue(purge)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.changed")
        .isEqualTo(0);
  }

  /** The README's set-up, with two users for the test. */
  @TestConfiguration(proxyBeanMethods = false)
  static class Security {

    // tag::starter-actuator-security[]
    @Bean
    SecurityWebFilterChain security(ServerHttpSecurity http) {
      return http.authorizeExchange(
              a ->
                  a.matchers(EndpointRequest.to("health"))
                      .permitAll()
                      .matchers(EndpointRequest.to("herald"))
                      .hasRole("HERALD_ADMIN")
                      .anyExchange()
                      .authenticated())
          .httpBasic(Customizer.withDefaults())
          // API clients authenticate with a header: no CSRF token for the actuator.
          .csrf(
              c ->
                  c.requireCsrfProtectionMatcher(
                      new NegatedServerWebExchangeMatcher(EndpointRequest.toAnyEndpoint())))
          .build();
    }

    // end::starter-actuator-security[]

    @Bean
    MapReactiveUserDetailsService users() {
      return new MapReactiveUserDetailsService(
          List.of(
              User.withUsername("operator")
                  .password("{noop}operator-secret")
                  .roles("HERALD_ADMIN")
                  .build(),
              User.withUsername("viewer").password("{noop}viewer-secret").roles("VIEWER").build()));
    }
  }
}
