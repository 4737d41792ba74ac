package dev.herald.examples.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.examples.domain.Order;
import dev.herald.examples.domain.Payment;
import dev.herald.examples.domain.PaymentCompleted;
import dev.herald.examples.domain.ReceiptSender;
import dev.herald.examples.domain.ScenarioAccount;
import dev.herald.examples.domain.ScenarioAccount.Entry;
import dev.herald.examples.domain.ScenarioAccount.Outcome;
import dev.herald.examples.domain.ScenarioAccount.ReceiverResult;
import dev.herald.examples.domain.ScenarioAccount.State;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Starts the demo on an embedded PostgreSQL and a free port, checks the scenario's account, then
 * drives the HTTP API, with good input and bad. BlockHound watches this JVM: a blocking call on an
 * event loop fails it.
 */
class VertxOrdersDemoIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private static OrdersApp app;
  private static ScenarioAccount account;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    // Always the embedded server, whatever HERALD_DATABASE_URL says: the account below assumes
    // fresh tables.
    app = OrdersApp.start(0, null);
    account = OrdersApp.await(app.playScenario());
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void scenarioCompletesPaidOrdersRollsBackTheFraudulentOneAndDeadLettersThePoisonReceipt() {
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
    assertThat(receipt(7_50))
        .isEqualTo(new ReceiverResult(PaymentCompleted.SEND_RECEIPT, State.DELIVERED, 2, 1));
    assertThat(receipt(ReceiptSender.POISON_AMOUNT_CENTS))
        .isEqualTo(new ReceiverResult(PaymentCompleted.SEND_RECEIPT, State.DEAD_LETTERED, 3, 2));

    Entry rolledBack = only(Outcome.ROLLED_BACK);
    assertThat(rolledBack.order().status()).isEqualTo(Order.PENDING);
    assertThat(rolledBack.order().paymentStatus()).isEqualTo(Payment.PENDING);
    assertThat(rolledBack.anyReceiverRan()).isFalse();

    Entry declined = only(Outcome.DECLINED);
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
        .contains("send-receipt dead-lettered after 3 attempts")
        .contains("declined  -> no signal sent; order pending")
        .contains("dead letters: 1");
  }

  @Test
  void httpApiCompletesAnOrderThroughTheSignalAndRequeuesTheDeadLetter() throws Exception {
    HttpResponse<String> created = post("/orders", "{\"amountCents\":2500}");
    assertThat(created.statusCode()).isEqualTo(201);
    JsonObject order = new JsonObject(created.body());
    assertThat(order.getString("status")).isEqualTo(Order.PENDING);

    HttpResponse<String> paid =
        post("/payments/" + order.getLong("paymentId") + "/complete?succeeded=true", "");
    assertThat(paid.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(paid.body()).getString("status")).isEqualTo(Payment.SUCCEEDED);
    assertThat(post("/payments/" + order.getLong("paymentId") + "/complete", "").statusCode())
        .isEqualTo(409);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Order.COMPLETED.equals(
                    new JsonObject(get("/orders/" + order.getLong("id")).body())
                        .getString("status")));

    HttpResponse<String> fraud = post("/orders", "{\"amountCents\":2000000}");
    long fraudPayment = new JsonObject(fraud.body()).getLong("paymentId");
    HttpResponse<String> rejected = post("/payments/" + fraudPayment + "/complete", "");
    assertThat(rejected.statusCode()).isEqualTo(422);
    assertThat(new JsonObject(rejected.body()).getString("error")).contains("rolled back");
    assertThat(get("/orders/424242").statusCode()).isEqualTo(404);

    JsonArray dead = new JsonArray(get("/dead-letters").body());
    assertThat(dead).hasSize(1);
    JsonObject task = dead.getJsonObject(0);
    assertThat(get("/herald").body())
        .contains("id=\"dead-" + task.getLong("id") + "\"")
        .contains("read-only");
    assertThat(task.getString("receiver")).isEqualTo(PaymentCompleted.SEND_RECEIPT);
    HttpResponse<String> requeued = post("/dead-letters/" + task.getLong("id") + "/requeue", "");
    assertThat(new JsonObject(requeued.body()).getLong("requeued")).isEqualTo(1L);
  }

  @Test
  void prometheusScrapeShowsHeraldMetersAfterTheScenario() throws Exception {
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              HttpResponse<String> scrape = get("/metrics");
              assertThat(scrape.statusCode()).isEqualTo(200);
              assertThat(scrape.body())
                  .contains("herald_tasks_sent_total{")
                  .contains("herald_tasks_delivered_total{")
                  .contains("herald_tasks_dead_lettered_total{")
                  .contains("herald_receiver_duration_seconds_count{")
                  .contains("herald_tasks_ready{")
                  .contains("receiver=\"" + PaymentCompleted.SEND_RECEIPT + "\"")
                  .contains("messaging_system=\"herald\"");
              // Kept as evidence of what an operator scrapes after the scenario.
              Files.writeString(Path.of("target", "vertx-orders-metrics.txt"), scrape.body());
            });
  }

  @Test
  void jsonArrayBodyIsRejectedWith400() throws Exception {
    assertBadRequest(
        post("/orders", "[1999]"),
        "expected a JSON object such as {\"amountCents\": 1999}, but got an array");
  }

  @Test
  void fractionalAmountIsRejectedWith400NotTruncated() throws Exception {
    assertBadRequest(
        post("/orders", "{\"amountCents\": 19.99}"),
        "amountCents must be a whole number of cents, without a decimal point or exponent"
            + " (1999 for $19.99), but was 19.99");
  }

  @Test
  void hugeAmountIsRejectedWith400NotClamped() throws Exception {
    assertBadRequest(
        post("/orders", "{\"amountCents\": 1e30}"),
        "amountCents is out of range: it must be from 1 to 9223372036854775807 (cents),"
            + " but was 1.0E30");
  }

  @Test
  void succeededOtherThanTrueOrFalseIsRejectedWith400AndLeavesThePaymentPending() throws Exception {
    JsonObject order = new JsonObject(post("/orders", "{\"amountCents\":3000}").body());

    assertBadRequest(
        post("/payments/" + order.getLong("paymentId") + "/complete?succeeded=maybe", ""),
        "succeeded must be true or false, but was 'maybe'");
    assertThat(
            new JsonObject(get("/orders/" + order.getLong("id")).body()).getString("paymentStatus"))
        .isEqualTo(Payment.PENDING);
  }

  @Test
  void limitZeroIsRejectedWith400NamingTheAllowedRange() throws Exception {
    assertBadRequest(
        get("/dead-letters?limit=0"), "limit must be an integer from 1 to 1000, but was '0'");
  }

  private static void assertBadRequest(HttpResponse<String> response, String error) {
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(new JsonObject(response.body())).isEqualTo(new JsonObject().put("error", error));
  }

  private static ReceiverResult receipt(long amountCents) {
    return account.entries().stream()
        .filter(e -> e.order().amountCents() == amountCents)
        .findFirst()
        .orElseThrow()
        .receivers()
        .get(1);
  }

  private static Entry only(Outcome outcome) {
    List<Entry> entries = account.entries().stream().filter(e -> e.outcome() == outcome).toList();
    assertThat(entries).hasSize(1);
    return entries.get(0);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path))
            .timeout(TIMEOUT)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(String path) {
    return URI.create("http://localhost:" + app.port() + path);
  }
}
