package dev.herald.spring.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.Herald;
import dev.herald.spring.TestDatabaseProperties;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Writes enabled explicitly ({@code management.endpoint.herald.access=unrestricted}) and a health
 * limit on dead letters: health goes DOWN saying why, and the endpoint requeues and purges.
 */
@SpringBootTest(
    classes = {ShopApplication.class, RejectedOrders.class, OpenSecurity.class},
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.sql.init.mode=always",
      "spring.sql.init.schema-locations=classpath:shop-schema.sql",
      "herald.poll-interval=200ms",
      // A table of its own: contexts of other test classes stay running and would take its tasks.
      "herald.store.table-name=shop_actuator_writes_task",
      "herald.health.max-dead=0",
      "management.endpoints.web.exposure.include=health,herald",
      "management.endpoint.health.show-details=always",
      "management.endpoint.herald.access=unrestricted"
    })
@AutoConfigureWebTestClient
class ShopActuatorWritesIT {

  static final Duration TIMEOUT = RejectedOrders.TIMEOUT;

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabaseProperties.register(registry);
  }

  @Autowired WebTestClient web;
  @Autowired RejectedOrders.Sender rejected;
  @Autowired Herald herald;
  @Autowired RejectedOrders.Rejecter rejecter;

  @Test
  void deadLettersTurnHealthDownAndAreRequeuedOrPurgedThroughTheEndpoint() {
    String first = UUID.randomUUID().toString();
    String second = UUID.randomUUID().toString();
    rejected.send(first).block(TIMEOUT);
    rejected.send(second).block(TIMEOUT);
    long firstId = RejectedOrders.awaitDeadLetter(herald, first).id();
    long secondId = RejectedOrders.awaitDeadLetter(herald, second).id();

    web.get()
        .uri("/actuator/health/herald")
        .exchange()
        .expectStatus()
        .is5xxServerError()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("DOWN")
        .jsonPath("$.details.problems[0]")
        .value(p -> assertThat((String) p).contains("dead letters, above 0"));

    Map<?, ?> requeued = post(Map.of("action", "requeue", "ids", String.valueOf(firstId)));
    assertThat(((Number) requeued.get("changed")).longValue()).isEqualTo(1);
    // Requeued, it runs again and fails again: dead once more.
    await()
        .atMost(TIMEOUT)
        .until(
            () -> rejecter.calls(first) == 2 && RejectedOrders.deadLetter(herald, firstId) != null);

    Map<?, ?> purged = post(Map.of("action", "purge", "ids", String.valueOf(secondId)));
    assertThat(((Number) purged.get("changed")).longValue()).isEqualTo(1);
    assertThat(RejectedOrders.deadLetter(herald, secondId)).isNull();

    web.post()
        .uri("/actuator/herald/dead-letters")
        .bodyValue(Map.of("action", "purge-all"))
        .exchange()
        .expectStatus()
        .isBadRequest();
  }

  Map<?, ?> post(Map<String, Object> body) {
    return web.post()
        .uri("/actuator/herald/dead-letters")
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(Map.class)
        .returnResult()
        .getResponseBody();
  }
}
