package dev.herald.dashboard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.dashboard.Shop;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * The README's role-based set-up: only role {@code OPS} reaches the dashboard; Spring Security's
 * CSRF protection stays on, and the dashboard's forms carry its token besides their own.
 */
@SpringBootTest(
    classes = SpringSecurityRolesIT.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"herald.dashboard.enabled=true", "herald.dashboard.actions-enabled=true"})
@AutoConfigureWebTestClient
class SpringSecurityRolesIT {

  @SpringBootApplication
  static class App {
    @Bean(destroyMethod = "close")
    Shop shop() {
      return Shop.inMemory().start();
    }

    @Bean
    Herald herald(Shop shop) {
      return shop.herald;
    }

    @Bean
    SecurityWebFilterChain security(ServerHttpSecurity http) {
      return http.authorizeExchange(
              ex -> ex.pathMatchers("/herald/**").hasRole("OPS").anyExchange().permitAll())
          .httpBasic(Customizer.withDefaults())
          .build();
    }

    @Bean
    MapReactiveUserDetailsService users() {
      return new MapReactiveUserDetailsService(
          List.of(
              User.withUsername("ops").password("{noop}ops-secret").roles("OPS").build(),
              User.withUsername("viewer").password("{noop}viewer-secret").roles("VIEW").build()));
    }
  }

  @Autowired WebTestClient web;
  @Autowired Shop shop;

  @Test
  void onlyTheOpsRoleSeesAndChangesDeadLetters() {
    long id = shop.sendDead("secured");
    web.get().uri("/herald").exchange().expectStatus().isUnauthorized();
    web.get()
        .uri("/herald")
        .headers(h -> h.setBasicAuth("viewer", "viewer-secret"))
        .exchange()
        .expectStatus()
        .isForbidden();

    EntityExchangeResult<String> page =
        web.get()
            .uri("/herald")
            .headers(h -> h.setBasicAuth("ops", "ops-secret"))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult();
    String body = page.getResponseBody();
    String springToken = field(body, "_csrf");
    String heraldToken = field(body, "csrf");
    List<String> cookies =
        page.getResponseHeaders().get("Set-Cookie").stream()
            .map(c -> c.substring(0, c.indexOf(';')))
            .toList();
    assertThat(cookies).anyMatch(c -> c.startsWith("herald_csrf="));

    // Without Spring's token, Spring Security refuses the POST before the dashboard sees it.
    web.post()
        .uri("/herald/actions")
        .headers(h -> h.setBasicAuth("ops", "ops-secret"))
        .headers(h -> h.add("Cookie", String.join("; ", cookies)))
        .body(
            BodyInserters.fromFormData("op", "purge")
                .with("ids", "" + id)
                .with("csrf", heraldToken))
        .exchange()
        .expectStatus()
        .isForbidden();

    web.post()
        .uri("/herald/actions")
        .headers(h -> h.setBasicAuth("ops", "ops-secret"))
        .headers(h -> h.add("Cookie", String.join("; ", cookies)))
        .body(
            BodyInserters.fromFormData("op", "purge")
                .with("ids", "" + id)
                .with("csrf", heraldToken)
                .with("_csrf", springToken))
        .exchange()
        .expectStatus()
        .isSeeOther();
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> shop.herald.deadLetters().list(1).collectList().block().isEmpty());
  }

  private static String field(String body, String name) {
    Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]+)\"").matcher(body);
    assertThat(m.find()).as("hidden field %s", name).isTrue();
    return m.group(1);
  }
}
