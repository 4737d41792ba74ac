package dev.herald.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/**
 * Herald starts before the web server and stops after it, graceful shutdown included: lifecycles
 * start in ascending phase order and stop in descending order ({@code ShopApplicationIT} checks the
 * start on a running server).
 */
class LifecyclePhaseTest {

  @Test
  void heraldsPhaseIsBelowTheWebServersAndItsGracefulShutdown() {
    int herald = new HeraldLifecycle(null, null, null, null).getPhase();

    assertThat(herald)
        .isLessThan(WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE)
        .isLessThan(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE);
  }
}
