package dev.herald.spring.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.Herald;
import dev.herald.TaskInfo;
import dev.herald.spring.TestDatabaseProperties;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerInitializedEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;

/**
 * The shop as a user runs it: only the starter, spring.r2dbc.* and annotated receivers, on a real
 * PostgreSQL and a running web server.
 */
@SpringBootTest(
    classes = {ShopApplication.class, ShopApplicationIT.WebServerProbe.class},
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.sql.init.mode=always",
      "spring.sql.init.schema-locations=classpath:shop-schema.sql",
      "herald.poll-interval=200ms"
    })
class ShopApplicationIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabaseProperties.register(registry);
  }

  @Autowired PaymentService payments;
  @Autowired ShopReceivers receivers;
  @Autowired Herald herald;
  @Autowired WebServerProbe probe;

  @Test
  void committedPaymentReachesBothReceivers() {
    long id = newPaymentId();

    payments.complete(id, 19_99, false).block(TIMEOUT);

    assertThat(payments.exists(id).block(TIMEOUT)).isTrue();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(receivers.synced(id)).isTrue();
              assertThat(receivers.booked(id).block(TIMEOUT)).isEqualTo(1L);
            });
  }

  @Test
  void rolledBackPaymentLeavesNoTaskAndNoReceiverRuns() {
    long rolledBack = newPaymentId();
    long committed = newPaymentId();

    Mono<Void> failing = payments.complete(rolledBack, 404, true);
    assertThat(failing.onErrorResume(IllegalStateException.class, e -> Mono.empty()).block(TIMEOUT))
        .isNull();
    assertThat(tasksOf(rolledBack)).isEmpty();
    // A later committed payment is delivered; by then the rolled-back one would have been too.
    payments.complete(committed, 500, false).block(TIMEOUT);
    await().atMost(TIMEOUT).until(() -> receivers.booked(committed).block(TIMEOUT) == 1L);

    assertThat(payments.exists(rolledBack).block(TIMEOUT)).isFalse();
    assertThat(receivers.synced(rolledBack)).isFalse();
    assertThat(receivers.booked(rolledBack).block(TIMEOUT)).isZero();
  }

  @Test
  void dispatcherRunsBeforeTheWebServerTakesRequests() {
    assertThat(probe.heraldRunningWhenServerStarted).isTrue();
  }

  /** The ready tasks of a payment (other tests' tasks may be in the table too). */
  private List<TaskInfo> tasksOf(long paymentId) {
    return herald
        .readyTasks(PaymentCompleted.SIGNAL, null, 0, 1000)
        .filter(t -> t.payload().matches("(?s).*\"paymentId\":\\s*" + paymentId + "\\D.*"))
        .collectList()
        .block(TIMEOUT);
  }

  private static long newPaymentId() {
    return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
  }

  /** Records whether Herald's lifecycle was running when the web server started. */
  static class WebServerProbe {

    volatile boolean heraldRunningWhenServerStarted;

    @EventListener
    void serverStarted(ReactiveWebServerInitializedEvent event) {
      heraldRunningWhenServerStarted =
          event.getApplicationContext().getBeansOfType(SmartLifecycle.class).values().stream()
              .filter(l -> l.getClass().getSimpleName().equals("HeraldLifecycle"))
              .map(SmartLifecycle::isRunning)
              .findFirst()
              .orElse(false);
    }
  }
}
