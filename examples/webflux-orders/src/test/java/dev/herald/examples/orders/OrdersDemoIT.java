package dev.herald.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.TaskInfo;
import dev.herald.examples.domain.Order;
import dev.herald.examples.domain.Payment;
import dev.herald.examples.domain.PaymentCompleted;
import dev.herald.examples.domain.ReceiptSender;
import dev.herald.examples.domain.ScenarioAccount;
import dev.herald.examples.domain.ScenarioAccount.Entry;
import dev.herald.examples.domain.ScenarioAccount.Outcome;
import dev.herald.examples.domain.ScenarioAccount.ReceiverResult;
import dev.herald.examples.domain.ScenarioAccount.State;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Boots the demo on an embedded PostgreSQL and a random port, checks the start-up scenario's
 * account, then drives the HTTP API, with good input and bad.
 */
class OrdersDemoIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private static ConfigurableApplicationContext app;
  private static WebClient http;

  @BeforeAll
  static void start() {
    // Command-line arguments outrank application.properties and the environment: a random port,
    // and always the embedded server whatever HERALD_DATABASE_URL says, since the account below
    // assumes fresh tables.
    app =
        new SpringApplicationBuilder(OrdersApplication.class)
            .run("--server.port=0", "--herald.database.url=");
    int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    http = WebClient.create("http://localhost:" + port);
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  private static ScenarioAccount account() {
    return app.getBean(StartupScenario.class).account().block(TIMEOUT);
  }

  @Test
  void scenarioCompletesPaidOrdersRollsBackTheFraudulentOneAndDeadLettersThePoisonReceipt() {
    ScenarioAccount account = account();

    assertThat(account.complete()).isTrue();
    assertThat(account.entries()).hasSize(6);
    List<Entry> succeeded =
        account.entries().stream().filter(e -> e.outcome() == Outcome.SUCCEEDED).toList();
    assertThat(succeeded).hasSize(4);
    assertThat(succeeded)
        .allSatisfy(
            e -> {
              assertThat(e.order().status()).isEqualTo(Order.COMPLETED);
              assertThat(e.order().paymentStatus()).isEqualTo(Payment.SUCCEEDED);
              assertThat(e.receivers())
                  .extracting(ReceiverResult::receiver)
                  .containsExactly(PaymentCompleted.COMPLETE_ORDER, PaymentCompleted.SEND_RECEIPT);
              assertThat(e.receivers()).noneMatch(r -> r.state() == State.PENDING);
            });
    assertThat(receipt(account, 7_50))
        .isEqualTo(new ReceiverResult(PaymentCompleted.SEND_RECEIPT, State.DELIVERED, 2, 1));
    assertThat(receipt(account, ReceiptSender.POISON_AMOUNT_CENTS))
        .isEqualTo(new ReceiverResult(PaymentCompleted.SEND_RECEIPT, State.DEAD_LETTERED, 3, 2));

    Entry rolledBack = only(account, Outcome.ROLLED_BACK);
    assertThat(rolledBack.order().status()).isEqualTo(Order.PENDING);
    assertThat(rolledBack.order().paymentStatus()).isEqualTo(Payment.PENDING);
    assertThat(rolledBack.anyReceiverRan()).isFalse();

    Entry declined = only(account, Outcome.DECLINED);
    assertThat(declined.order().status()).isEqualTo(Order.PENDING);
    assertThat(declined.order().paymentStatus()).isEqualTo(Payment.FAILED);
    assertThat(declined.anyReceiverRan()).isFalse();

    assertThat(account.deadLetters()).hasSize(1);
    ScenarioAccount.DeadLetter dead = account.deadLetters().get(0);
    assertThat(dead.task().receiver()).isEqualTo(PaymentCompleted.SEND_RECEIPT);
    assertThat(dead.task().attempt()).isEqualTo(3);
    assertThat(dead.task().lastError()).startsWith("gave up after 3 attempts").contains("550");

    assertThat(account.render(8080))
        .contains("== Herald demo: payment.completed ==")
        .contains("rolled back (fraud check) -> no task, no receiver ran; order pending")
        .contains("send-receipt delivered (attempt 2 after 1 retry)")
        .contains("dead letters: 1");
  }

  @Test
  void httpApiCompletesAnOrderThroughTheSignalAndRequeuesTheDeadLetter() {
    // After the scenario, so that its payment ids (every third receipt fails once) are stable.
    account();

    Order order =
        http.post()
            .uri("/orders")
            .bodyValue(Map.of("amountCents", 25_00))
            .retrieve()
            .bodyToMono(Order.class)
            .block(TIMEOUT);
    assertThat(order.status()).isEqualTo(Order.PENDING);

    Payment payment =
        http.post()
            .uri("/payments/{id}/complete?succeeded=true", order.paymentId())
            .retrieve()
            .bodyToMono(Payment.class)
            .block(TIMEOUT);
    assertThat(payment.status()).isEqualTo(Payment.SUCCEEDED);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        http.get()
                            .uri("/orders/{id}", order.id())
                            .retrieve()
                            .bodyToMono(Order.class)
                            .block(TIMEOUT)
                            .status())
                    .isEqualTo(Order.COMPLETED));

    List<TaskInfo> dead =
        http.get()
            .uri("/dead-letters")
            .retrieve()
            .bodyToFlux(TaskInfo.class)
            .collectList()
            .block(TIMEOUT);
    assertThat(dead).extracting(TaskInfo::receiver).containsExactly(PaymentCompleted.SEND_RECEIPT);
    assertThat(http.get().uri("/herald").retrieve().bodyToMono(String.class).block(TIMEOUT))
        .contains("id=\"dead-" + dead.get(0).id() + "\"");
    Map<String, Long> requeued =
        http.post()
            .uri("/dead-letters/{id}/requeue", dead.get(0).id())
            .retrieve()
            .bodyToMono(new ParameterizedTypeReference<Map<String, Long>>() {})
            .block(TIMEOUT);
    assertThat(requeued).containsEntry("requeued", 1L);
  }

  @Test
  void jsonArrayBodyIsRejectedWith400() {
    account();

    assertThat(post("/orders", "[1999]"))
        .isEqualTo(
            badRequest("expected a JSON object such as {\"amountCents\": 1999}, but got an array"));
  }

  @Test
  void fractionalAmountIsRejectedWith400NotTruncated() {
    account();

    assertThat(post("/orders", "{\"amountCents\": 19.99}"))
        .isEqualTo(
            badRequest(
                "amountCents must be a whole number of cents, without a decimal point or exponent"
                    + " (1999 for $19.99), but was 19.99"));
  }

  @Test
  void hugeAmountIsRejectedWith400NotClamped() {
    account();

    assertThat(post("/orders", "{\"amountCents\": 1e30}"))
        .isEqualTo(
            badRequest(
                "amountCents is out of range: it must be from 1 to 9223372036854775807 (cents),"
                    + " but was 1.0E30"));
  }

  @Test
  void succeededOtherThanTrueOrFalseIsRejectedWith400AndLeavesThePaymentPending() {
    // After the scenario: this order takes an id.
    account();
    Order order =
        http.post()
            .uri("/orders")
            .bodyValue(Map.of("amountCents", 30_00))
            .retrieve()
            .bodyToMono(Order.class)
            .block(TIMEOUT);

    assertThat(post("/payments/" + order.paymentId() + "/complete?succeeded=maybe", ""))
        .isEqualTo(badRequest("succeeded must be true or false, but was 'maybe'"));
    assertThat(
            http.get()
                .uri("/orders/{id}", order.id())
                .retrieve()
                .bodyToMono(Order.class)
                .block(TIMEOUT)
                .paymentStatus())
        .isEqualTo(Payment.PENDING);
  }

  @Test
  void limitZeroIsRejectedWith400NamingTheAllowedRange() {
    Reply reply = http.get().uri("/dead-letters?limit=0").exchangeToMono(Reply::of).block(TIMEOUT);

    assertThat(reply).isEqualTo(badRequest("limit must be an integer from 1 to 1000, but was '0'"));
  }

  @Test
  void actuatorExposesHealthMetricsAndPrometheus() {
    Reply health = http.get().uri("/actuator/health").exchangeToMono(Reply::of).block(TIMEOUT);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body()).containsEntry("status", "UP");

    Reply metrics = http.get().uri("/actuator/metrics").exchangeToMono(Reply::of).block(TIMEOUT);
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body().get("names").toString()).contains("jvm.memory.used");

    String scrape =
        http.get().uri("/actuator/prometheus").retrieve().bodyToMono(String.class).block(TIMEOUT);
    assertThat(scrape).contains("jvm_memory_used_bytes");
  }

  /** A response's status and JSON object body. */
  private record Reply(int status, Map<String, Object> body) {

    static Mono<Reply> of(ClientResponse response) {
      return response
          .bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() {})
          .defaultIfEmpty(Map.of())
          .map(body -> new Reply(response.statusCode().value(), body));
    }
  }

  private static Reply badRequest(String error) {
    return new Reply(400, Map.of("error", error));
  }

  private static Reply post(String path, String json) {
    return http.post()
        .uri(path)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(json)
        .exchangeToMono(Reply::of)
        .block(TIMEOUT);
  }

  private static ReceiverResult receipt(ScenarioAccount account, long amountCents) {
    return account.entries().stream()
        .filter(e -> e.order().amountCents() == amountCents)
        .findFirst()
        .orElseThrow()
        .receivers()
        .get(1);
  }

  private static Entry only(ScenarioAccount account, Outcome outcome) {
    List<Entry> entries = account.entries().stream().filter(e -> e.outcome() == outcome).toList();
    assertThat(entries).hasSize(1);
    return entries.get(0);
  }
}
