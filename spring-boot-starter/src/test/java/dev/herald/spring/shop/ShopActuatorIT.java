package dev.herald.spring.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.Herald;
import dev.herald.SendOptions;
import dev.herald.Signal;
import dev.herald.TaskInfo;
import dev.herald.spring.TestDatabaseProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * The health indicator and the {@code herald} endpoint as an operator sees them by default: health
 * with details, the endpoint read-only (the POST is not exposed, and nothing changes).
 */
@SpringBootTest(
    classes = {ShopApplication.class, RejectedOrders.class, OpenSecurity.class},
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.sql.init.mode=always",
      "spring.sql.init.schema-locations=classpath:shop-schema.sql",
      "herald.poll-interval=200ms",
      // A table of its own: contexts of other test classes stay running and would take its tasks.
      "herald.store.table-name=shop_actuator_task",
      "management.endpoints.web.exposure.include=health,herald",
      "management.endpoint.health.show-details=always"
    })
@AutoConfigureWebTestClient
class ShopActuatorIT {

  static final Duration TIMEOUT = RejectedOrders.TIMEOUT;
  static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabaseProperties.register(registry);
  }

  @Autowired WebTestClient web;
  @Autowired RejectedOrders.Sender rejected;
  @Autowired Herald herald;
  @Autowired Signal<RejectedOrders.Rejected> signal;
  @Autowired TransactionalOperator tx;

  @Test
  void healthReportsTheStoreTheListenerAndTheBacklog() {
    await().atMost(TIMEOUT).until(herald::listening);

    Map<String, Object> health = get("/actuator/health/herald");

    assertThat(health).containsEntry("status", "UP");
    @SuppressWarnings("unchecked")
    Map<String, Object> details = (Map<String, Object>) health.get("details");
    assertThat(details)
        .containsEntry("store", "reachable")
        .containsEntry("listener", "listening")
        .containsKeys("oldestReady", "dead", "openBreakers", "receivers");
  }

  @Test
  void deadLettersAreListedEscapedButNotChangedWithoutWriteAccess() {
    String note = "<script>alert('" + UUID.randomUUID() + "')</script>";
    rejected.send(note).block(TIMEOUT);
    TaskInfo dead = RejectedOrders.awaitDeadLetter(herald, note);

    Map<String, Object> page =
        get("/actuator/herald/dead-letters?signal=" + RejectedOrders.SIGNAL + "&limit=500");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> tasks = (List<Map<String, Object>>) page.get("tasks");
    assertThat(tasks)
        .anySatisfy(
            t -> {
              assertThat(((Number) t.get("id")).longValue()).isEqualTo(dead.id());
              assertThat((String) t.get("payload")).contains(note);
              assertThat((String) t.get("lastError")).contains("cannot fulfil");
            });
    Map<String, Object> overview = get("/actuator/herald");
    assertThat(overview).containsEntry("node", herald.nodeId()).containsKey("receivers");
    assertThat(overview.get("receivers").toString()).contains("receiver=fulfil");

    web.post()
        .uri("/actuator/herald/dead-letters")
        .bodyValue(Map.of("action", "requeue", "ids", String.valueOf(dead.id())))
        .exchange()
        .expectStatus()
        .is4xxClientError();
    assertThat(RejectedOrders.deadLetter(herald, dead.id())).isNotNull();
  }

  @Test
  void tasksAreFoundByIdAndByDedupeKeyInAnyState() {
    String note = "keyed " + UUID.randomUUID();
    String key = "order-" + UUID.randomUUID();
    tx.transactional(
            signal.sendReliable(new RejectedOrders.Rejected(note), SendOptions.dedupeKey(key)))
        .block(TIMEOUT);
    TaskInfo dead = RejectedOrders.awaitDeadLetter(herald, note);

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> byKey =
        (List<Map<String, Object>>)
            get("/actuator/herald/tasks/" + RejectedOrders.SIGNAL + "?dedupeKey=" + key)
                .get("tasks");
    assertThat(byKey)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(((Number) t.get("id")).longValue()).isEqualTo(dead.id());
              assertThat(t).containsEntry("state", "dead").containsEntry("dedupeKey", key);
              assertThat((String) t.get("payload")).contains(note);
            });
    assertThat(get("/actuator/herald/tasks/" + dead.id()).get("tasks").toString())
        .contains("dedupeKey=" + key);
    assertThat(
            get("/actuator/herald/tasks/" + RejectedOrders.SIGNAL + "?dedupeKey=nothing")
                .get("tasks"))
        .asList()
        .isEmpty();
    web.get().uri("/actuator/herald/tasks/999999999").exchange().expectStatus().isNotFound();
    web.get().uri("/actuator/herald/tasks/order").exchange().expectStatus().isBadRequest();
    web.get()
        .uri("/actuator/herald/tasks/" + RejectedOrders.SIGNAL + "?dedupeKey=k&limit=0")
        .exchange()
        .expectStatus()
        .isBadRequest();
  }

  @Test
  void aBadPageOrViewIsAClientError() {
    web.get().uri("/actuator/herald/dead-letters?limit=0").exchange().expectStatus().isBadRequest();
    web.get().uri("/actuator/herald/nothing").exchange().expectStatus().isNotFound();
  }

  Map<String, Object> get(String uri) {
    return web.get()
        .uri(uri)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(JSON)
        .returnResult()
        .getResponseBody();
  }
}
