package dev.herald.dashboard.spring;

import dev.herald.Herald;
import dev.herald.dashboard.BrowserScenario;
import dev.herald.dashboard.Shop;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebDriver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

/**
 * The dashboard in a running Spring Boot WebFlux application with Spring Security (CSRF on), driven
 * by headless Chromium.
 */
@SpringBootTest(
    classes = SpringDashboardBrowserIT.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "herald.dashboard.enabled=true",
      "herald.dashboard.actions-enabled=true",
      "herald.dashboard.refresh-interval=1s"
    })
class SpringDashboardBrowserIT {

  /** A WebFlux app with an in-memory Herald; the dashboard comes from auto-configuration. */
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

    // Spring Security present, with its CSRF protection on: the dashboard's forms carry its token.
    @Bean
    SecurityWebFilterChain open(ServerHttpSecurity http) {
      return http.authorizeExchange(a -> a.anyExchange().permitAll()).build();
    }
  }

  private static WebDriver browser;

  @LocalServerPort int port;
  @Autowired Shop shop;

  @BeforeAll
  static void openBrowser() {
    browser = BrowserScenario.chromium();
  }

  @AfterAll
  static void closeBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void operatorSeesBacklogRequeuesPurgesAndConfirmsBulkRequeue() {
    BrowserScenario.run(browser, "http://localhost:" + port + "/herald", shop, "spring");
  }
}
