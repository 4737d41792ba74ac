package dev.herald.dashboard.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.dashboard.BrowserScenario;
import dev.herald.dashboard.Dashboard;
import dev.herald.dashboard.Shop;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebDriver;

/** The dashboard mounted in a running Vert.x Web router, driven by headless Chromium. */
class VertxDashboardBrowserIT {

  private static WebDriver browser;
  private static Vertx vertx;
  private static Shop shop;
  private static Dashboard dashboard;
  private static Dashboard readOnly;
  private static HttpServer server;

  @BeforeAll
  static void start() throws Exception {
    shop = Shop.inMemory().start();
    dashboard =
        Dashboard.builder(shop.herald)
            .actionsEnabled(true)
            .refreshInterval(Duration.ofSeconds(1))
            .build();
    readOnly = Dashboard.builder(shop.herald).build();
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    VertxDashboard.mount(router, "/ops/herald", dashboard);
    VertxDashboard.mount(router, "/view/herald", readOnly);
    server =
        vertx
            .createHttpServer()
            .requestHandler(router)
            .listen(0)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    browser = BrowserScenario.chromium();
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    dashboard.close();
    readOnly.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    shop.close();
  }

  @Test
  void operatorSeesBacklogRequeuesPurgesAndConfirmsBulkRequeue() throws Exception {
    String base = "http://localhost:" + server.actualPort();
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/view/herald/actions"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("op=purge-all"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(403);

    BrowserScenario.run(browser, base + "/ops/herald", shop, "vertx");
  }
}
