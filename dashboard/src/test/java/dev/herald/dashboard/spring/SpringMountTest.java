package dev.herald.dashboard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.dashboard.Shop;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.RouterFunction;

class SpringMountTest {

  private Shop shop;
  private ReactiveWebApplicationContextRunner runner;

  @BeforeEach
  void start() {
    shop = Shop.inMemory().start();
    runner =
        new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HeraldDashboardAutoConfiguration.class))
            .withBean(Herald.class, () -> shop.herald);
  }

  @AfterEach
  void stop() {
    shop.close();
  }

  @Test
  void offByDefault() {
    runner.run(ctx -> assertThat(ctx).doesNotHaveBean(RouterFunction.class));
  }

  @Test
  void readOnlyWhenEnabledAlone() {
    long id = shop.sendDead("<script>x</script>");
    runner
        .withPropertyValues("herald.dashboard.enabled=true")
        .run(
            ctx -> {
              WebTestClient client = client(ctx.getBean(RouterFunction.class));
              String page =
                  client
                      .get()
                      .uri("/herald")
                      .exchange()
                      .expectStatus()
                      .isOk()
                      .expectHeader()
                      .contentType("text/html;charset=utf-8")
                      .expectHeader()
                      .exists("Content-Security-Policy")
                      .expectBody(String.class)
                      .returnResult()
                      .getResponseBody();
              assertThat(page)
                  .contains("id=\"dead-" + id + "\"")
                  .contains("&lt;script&gt;x&lt;/script&gt;")
                  .contains("read-only")
                  .doesNotContain("class=\"requeue\"");
              client
                  .post()
                  .uri("/herald/actions")
                  .body(BodyInserters.fromFormData("op", "purge").with("ids", "" + id))
                  .exchange()
                  .expectStatus()
                  .isForbidden();
              client.get().uri("/herald/api/stats").exchange().expectStatus().isOk();
              client.get().uri("/other").exchange().expectStatus().isNotFound();
            });
  }

  @Test
  void actionsWithoutSpringSecurityNeedTheAcknowledgement() {
    runner
        .withClassLoader(new FilteredClassLoader("org.springframework.security"))
        .withPropertyValues(
            "herald.dashboard.enabled=true", "herald.dashboard.actions-enabled=true")
        .run(
            ctx ->
                assertThat(ctx)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("herald.dashboard.actions-enabled=true")
                    .hasMessageContaining("herald.dashboard.protected-elsewhere=true"));
  }

  @Test
  void requeueNeedsPostAndCsrfToken() {
    long id = shop.sendDead("again");
    runner
        .withClassLoader(new FilteredClassLoader("org.springframework.security"))
        .withPropertyValues(
            "herald.dashboard.enabled=true",
            "herald.dashboard.actions-enabled=true",
            "herald.dashboard.protected-elsewhere=true",
            "herald.dashboard.path=/ops/herald")
        .run(
            ctx -> {
              WebTestClient client = client(ctx.getBean(RouterFunction.class));
              EntityExchangeResult<String> page =
                  client
                      .get()
                      .uri("/ops/herald/")
                      .exchange()
                      .expectStatus()
                      .isOk()
                      .expectBody(String.class)
                      .returnResult();
              String setCookie = page.getResponseHeaders().getFirst("Set-Cookie");
              String cookie = setCookie.substring("herald_csrf=".length(), setCookie.indexOf(';'));
              assertThat(setCookie)
                  .contains("Path=/ops/herald")
                  .contains("HttpOnly")
                  .contains("SameSite=Strict");
              Matcher m =
                  Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"")
                      .matcher(page.getResponseBody());
              assertThat(m.find()).isTrue();
              String token = m.group(1);

              client
                  .post()
                  .uri("/ops/herald/actions")
                  .cookie("herald_csrf", cookie)
                  .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                  .body(BodyInserters.fromFormData("op", "requeue").with("ids", "" + id))
                  .exchange()
                  .expectStatus()
                  .isForbidden();
              client.get().uri("/ops/herald/actions").exchange().expectStatus().isEqualTo(405);

              shop.failing.set(false);
              client
                  .post()
                  .uri("/ops/herald/actions")
                  .cookie("herald_csrf", cookie)
                  .body(
                      BodyInserters.fromFormData("op", "requeue")
                          .with("ids", "" + id)
                          .with("csrf", token))
                  .exchange()
                  .expectStatus()
                  .isSeeOther()
                  .expectHeader()
                  .valueMatches("Location", "/ops/herald/\\?done=requeue&n=1");
              Awaitility.await()
                  .atMost(Duration.ofSeconds(10))
                  .until(() -> shop.herald.deadLetters().list(1).collectList().block().isEmpty());
            });
  }

  @Test
  void rejectsARootPath() {
    runner
        .withPropertyValues("herald.dashboard.enabled=true", "herald.dashboard.path=/")
        .run(
            ctx ->
                assertThat(ctx)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("herald.dashboard.path"));
  }

  private static WebTestClient client(RouterFunction<?> routes) {
    return WebTestClient.bindToRouterFunction(routes).build();
  }
}
