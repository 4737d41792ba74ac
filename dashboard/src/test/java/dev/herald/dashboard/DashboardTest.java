package dev.herald.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.SendOptions;
import dev.herald.TaskInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DashboardTest {

  private Shop shop;
  private Dashboard dashboard;

  @BeforeEach
  void start() {
    shop = Shop.inMemory().start();
    dashboard = Dashboard.builder(shop.herald).actionsEnabled(true).build();
  }

  @AfterEach
  void stop() {
    dashboard.close();
    shop.close();
  }

  @Test
  void pageShowsBacklogAndDeadLettersWithPayloadsEscaped() {
    long id = shop.sendDead("<script>alert('x')</script>");

    DashboardResponse page = get("/", Map.of());

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body())
        .contains("data-receiver=\"archive\"")
        .contains("id=\"dead-" + id + "\"")
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
        .contains("mail server said &lt;b&gt;no&lt;/b&gt;")
        .doesNotContain("<script>alert")
        .doesNotContain("<b>no</b>");
    assertThat(page.headers())
        .containsEntry("Cache-Control", "no-store")
        .containsKey("Content-Security-Policy")
        .containsKey("Set-Cookie");
  }

  @Test
  void escapesEveryHtmlSpecialCharacter() {
    assertThat(Html.text("<a href=\"x\" onclick='y'>&</a>"))
        .isEqualTo("&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
    assertThat(Html.text(null)).isEmpty();
    assertThat(Html.text("plain")).isEqualTo("plain");
  }

  @Test
  void requeueNeedsTheTokenOfTheBrowsersCookie() {
    long id = shop.sendDead("one");
    DashboardResponse page = get("/", Map.of());
    String cookie = nonce(page);
    String token = token(page.body());

    DashboardResponse forged =
        post(Map.of("op", "requeue", "ids", "" + id, "csrf", "nope"), cookie);
    DashboardResponse noCookie = post(Map.of("op", "requeue", "ids", "" + id, "csrf", token), null);
    assertThat(forged.status()).isEqualTo(403);
    assertThat(noCookie.status()).isEqualTo(403);

    shop.failing.set(false);
    DashboardResponse ok = post(Map.of("op", "requeue", "ids", "" + id, "csrf", token), cookie);
    assertThat(ok.status()).isEqualTo(303);
    assertThat(ok.headers().get("Location")).startsWith("/herald/?done=requeue&n=1");
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> shop.herald.deadLetters().list(10).collectList().block().isEmpty());
  }

  @Test
  void readOnlyDashboardRefusesActionsAndShowsNone() {
    long id = shop.sendDead("one");
    try (Dashboard readOnly = Dashboard.builder(shop.herald).build()) {
      DashboardResponse page =
          readOnly.handle(DashboardRequest.get("/herald", "/", Map.of())).block();
      assertThat(page.body()).contains("id=\"dead-" + id + "\"").doesNotContain("class=\"purge\"");
      String cookie = nonce(page);
      DashboardResponse post =
          readOnly
              .handle(
                  new DashboardRequest(
                      "POST",
                      "/herald",
                      "/actions",
                      Map.of(),
                      Map.of("op", "purge", "ids", "" + id, "csrf", readOnly.csrf().token(cookie)),
                      Map.of(Csrf.COOKIE, cookie),
                      Map.of()))
              .block();
      assertThat(post.status()).isEqualTo(403);
      assertThat(shop.herald.deadLetters().list(10).collectList().block()).hasSize(1);
    }
  }

  @Test
  void bulkPurgeIsConfirmedWithItsCount() {
    shop.sendDead("timeout one");
    shop.sendDead("other");
    DashboardResponse confirm =
        get("/confirm", Map.of("op", "purge-all", "signal", "order.paid", "reason", "SAID"));
    assertThat(confirm.body()).contains("<strong>2</strong>");
    DashboardResponse none =
        get("/confirm", Map.of("op", "purge-all", "signal", "order.paid", "reason", "zzz"));
    assertThat(none.body()).contains("<strong>0</strong>");
  }

  @Test
  void jsonModelAndTaskLookup() {
    long id = shop.sendDead("<i>json</i>");
    String stats = get("/api/stats", Map.of()).body();
    assertThat(stats).contains("\"signal\":\"order.paid\"").contains("\"receiver\":\"mailer\"");
    String dead = get("/api/dead-letters", Map.of("receiver", "mailer")).body();
    assertThat(dead).contains("\"id\":" + id).contains("<i>json</i>");
    assertThat(get("/api/dead-letters", Map.of()).contentType()).startsWith("application/json");

    assertThat(get("/", Map.of("task", "" + id)).body())
        .contains("id=\"task-result\"")
        .contains("&lt;i&gt;json&lt;/i&gt;");
    assertThat(get("/", Map.of("task", "999999")).body())
        .contains("No task with id or dedupe key 999999");
  }

  @Test
  void searchByDedupeKeyShowsTheTasksOfOneSendInEveryStateEscaped() {
    shop.sendDead("unrelated");
    long dead = shop.sendDead("<i>keyed</i>", SendOptions.dedupeKey("order-<7>"));
    long ready = archived("<i>keyed</i>"); // the same send's task of the declared archive

    String any = get("/", Map.of("task", "order-<7>")).body();
    assertThat(any)
        .contains("id=\"task-results\"")
        .contains("id=\"task-" + dead + "\" data-state=\"dead\"")
        .contains("id=\"task-" + ready + "\" data-state=\"ready\"")
        .contains("<td class=\"dedupe-key\">order-&lt;7&gt;</td>")
        .contains("&lt;i&gt;keyed&lt;/i&gt;")
        .contains("mail server said &lt;b&gt;no&lt;/b&gt;")
        .doesNotContain("<i>keyed</i>")
        .doesNotContain("value=\"order-<7>\"");
    assertThat(any.indexOf("id=\"task-" + Math.max(dead, ready) + "\""))
        .as("newest first")
        .isLessThan(any.indexOf("id=\"task-" + Math.min(dead, ready) + "\""));
    assertThat(
            get("/", Map.of("task", "order-<7>", "task-signal", "order.paid"))
                .body()
                .split("class=\"task\"", -1))
        .hasSize(3);
    assertThat(get("/", Map.of("task", "order-<7>", "task-signal", "order.other")).body())
        .contains("No task with id or dedupe key order-&lt;7&gt; of signal order.other")
        .contains("<option value=\"order.other\" selected>");
    assertThat(get("/", Map.of("task", "order-8")).body()).contains("No task with id");
    assertThat(get("/api/tasks", Map.of("task", "order-<7>")).body())
        .contains("\"dedupeKey\":\"order-<7>\"")
        .contains("\"id\":" + dead)
        .contains("\"id\":" + ready);
  }

  @Test
  void aNumberIsSearchedAsAnIdAndAsADedupeKey() {
    long unkeyed = shop.sendDead("first");
    long keyed = shop.sendDead("second", SendOptions.dedupeKey(Long.toString(unkeyed)));

    String found = get("/", Map.of("task", Long.toString(unkeyed))).body();

    assertThat(found.split("class=\"task\"", -1))
        .as("the id, and both tasks of the key")
        .hasSize(4);
    assertThat(found)
        .contains("id=\"task-" + unkeyed + "\"")
        .contains("id=\"task-" + keyed + "\"")
        .contains("id=\"task-" + archived("second") + "\"");
    assertThat(get("/", Map.of("task", "x".repeat(300))).body())
        .as("no valid key: nothing found, no error")
        .contains("No task with id or dedupe key");
  }

  @Test
  void foundTasksSayWhetherTheyAreScheduledRunningOrWaitingToRetry() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(stateOf(0, now.minusSeconds(1), null, null, null, now)).isEqualTo("ready");
    assertThat(stateOf(0, now.plusSeconds(60), null, null, null, now)).isEqualTo("scheduled");
    assertThat(stateOf(2, now.plusSeconds(60), "boom", null, null, now))
        .isEqualTo("waiting to retry");
    assertThat(stateOf(1, now.minusSeconds(5), null, "node-a", now.plusSeconds(30), now))
        .isEqualTo("running");
    assertThat(stateOf(1, now.minusSeconds(5), null, "node-a", now.minusSeconds(30), now))
        .as("a lapsed lease")
        .isEqualTo("ready");
  }

  // The label the search shows for a ready-state task of key "k" with these fields.
  private static String stateOf(
      int attempt,
      Instant runAt,
      String lastError,
      String leasedBy,
      Instant leasedUntil,
      Instant now) {
    TaskInfo task =
        new TaskInfo(
            1, "s", "r", "ready", attempt, runAt, now, lastError, "{}", "k", leasedBy, leasedUntil);
    return Fragments.state(task, now);
  }

  @Test
  void unknownPathsAndMethodsAreRefused() {
    assertThat(get("/nope", Map.of()).status()).isEqualTo(404);
    assertThat(get("/actions", Map.of()).status()).isEqualTo(405);
  }

  // The id of the archive's ready task (the declared receiver no node runs) of one send.
  private long archived(String text) {
    return shop.herald
        .readyTasks("order.paid", "archive", 0, 100)
        .filter(t -> t.payload().contains(text))
        .single()
        .block()
        .id();
  }

  private DashboardResponse get(String path, Map<String, String> query) {
    return dashboard.handle(DashboardRequest.get("/herald", path, query)).block();
  }

  private DashboardResponse post(Map<String, String> form, String cookie) {
    Map<String, String> cookies = new LinkedHashMap<>();
    if (cookie != null) {
      cookies.put(Csrf.COOKIE, cookie);
    }
    return dashboard
        .handle(
            new DashboardRequest("POST", "/herald", "/actions", Map.of(), form, cookies, Map.of()))
        .block();
  }

  static String nonce(DashboardResponse r) {
    String c = r.headers().get("Set-Cookie");
    return c.substring(c.indexOf('=') + 1, c.indexOf(';'));
  }

  static String token(String body) {
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(body);
    assertThat(m.find()).isTrue();
    return m.group(1);
  }
}
