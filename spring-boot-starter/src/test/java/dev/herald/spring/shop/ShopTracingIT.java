package dev.herald.spring.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.Herald;
import dev.herald.HeraldTracingHandler;
import dev.herald.spring.ReceiverRegistration;
import dev.herald.spring.TestDatabaseProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * The shop with Spring Boot's OpenTelemetry tracing and the actuator: a payment's
 * {@code @Transactional} send and both of its receivers show up in one trace across the commit, a
 * rolled back payment leaves nothing, and Herald's meters and health report what happened, with no
 * Herald wiring of the application's own (only the starter, spring.r2dbc.* and annotated
 * receivers).
 */
@SpringBootTest(
    classes = {ShopApplication.class, ShopTracingIT.Spans.class},
    webEnvironment = WebEnvironment.NONE,
    properties = {
      "spring.sql.init.mode=always",
      "spring.sql.init.schema-locations=classpath:shop-schema.sql",
      "herald.poll-interval=200ms",
      "herald.receivers.refund.requested.flaky.retry.initial-delay=20ms",
      "management.tracing.sampling.probability=1.0"
    })
class ShopTracingIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  // Not a bean: Spring Boot would also batch-export to every SpanExporter bean.
  private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabaseProperties.register(registry);
  }

  @Autowired PaymentService payments;
  @Autowired ObservationRegistry registry;
  @Autowired List<HeraldTracingHandler> handlers;
  @Autowired ShopReceivers receivers;
  @Autowired MeterRegistry meters;
  @Autowired ReactiveHealthIndicator heraldHealthIndicator;
  @Autowired Herald herald;
  @Autowired ReactiveTransactionManager transactions;

  @Test
  void aTransactionalSendAndItsReceiversShareOneTraceAcrossTheCommit() {
    assertThat(handlers).hasSize(1);
    long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    Observation checkout = Observation.start("checkout", registry);

    payments
        .complete(id, 19_99, false)
        .contextWrite(c -> c.put(ObservationThreadLocalAccessor.KEY, checkout))
        .block(TIMEOUT);
    checkout.stop();

    SpanData root = named("checkout").get(0);
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                named("process payment.completed").stream()
                        .filter(s -> s.getTraceId().equals(root.getTraceId()))
                        .count()
                    == 2);
    SpanData send = named("send payment.completed").get(0);
    assertThat(send.getTraceId()).isEqualTo(root.getTraceId());
    assertThat(send.getParentSpanId()).isEqualTo(root.getSpanId());
    assertThat(named("process payment.completed"))
        .filteredOn(s -> s.getTraceId().equals(root.getTraceId()))
        .allSatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo(send.getSpanId()))
        .extracting(s -> s.getAttributes().get(AttributeKey.stringKey("receiver")))
        .containsExactlyInAnyOrder("crm-sync", "ledger");
  }

  @Test
  void committedIsDeliveredRolledBackIsNothingAndMetricsAndHealthReportIt() {
    long committed = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    long rolledBack = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);

    payments.complete(committed, 500, false).block(TIMEOUT);
    assertThat(
            payments
                .complete(rolledBack, 404, true)
                .onErrorResume(IllegalStateException.class, e -> Mono.empty())
                .block(TIMEOUT))
        .isNull();

    await().atMost(TIMEOUT).until(() -> receivers.booked(committed).block(TIMEOUT) == 1L);
    assertThat(receivers.synced(committed)).isTrue();
    assertThat(receivers.synced(rolledBack)).isFalse();
    assertThat(receivers.booked(rolledBack).block(TIMEOUT)).isZero();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(
                        meters
                            .get("herald.tasks.delivered")
                            .tag("signal", PaymentCompleted.SIGNAL)
                            .counters())
                    .extracting(c -> c.getId().getTag("receiver"))
                    .contains("crm-sync", "ledger"));
    assertThat(meters.get("herald.tasks.sent").counter().count()).isGreaterThanOrEqualTo(2);
    Health health = heraldHealthIndicator.health().block(TIMEOUT);
    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat(health.getDetails()).containsEntry("store", "reachable");
  }

  @Test
  void aRetryUnderSpringBootStartsANewTraceLinkedToTheSend() {
    Observation refund = Observation.start("refund", registry);

    herald
        .signal("refund.requested", Long.class)
        .sendReliable(7L)
        .as(TransactionalOperator.create(transactions)::transactional)
        .contextWrite(c -> c.put(ObservationThreadLocalAccessor.KEY, refund))
        .block(TIMEOUT);
    refund.stop();

    await().atMost(TIMEOUT).until(() -> named("process refund.requested").size() == 2);
    SpanData root = named("refund").get(0);
    SpanData send = named("send refund.requested").get(0);
    SpanData first = attempt("1");
    SpanData retry = attempt("2");
    assertThat(send.getTraceId()).isEqualTo(root.getTraceId());
    assertThat(first.getParentSpanId()).isEqualTo(send.getSpanId());
    // Spring Boot's own receiver handler would have made it a child: HeraldTracingHandler came
    // first.
    assertThat(retry.getTraceId()).isNotEqualTo(root.getTraceId());
    assertThat(retry.getParentSpanContext().isValid()).isFalse();
    assertThat(retry.getLinks())
        .singleElement()
        .satisfies(l -> assertThat(l.getSpanContext().getSpanId()).isEqualTo(send.getSpanId()));
  }

  private static SpanData attempt(String number) {
    return named("process refund.requested").stream()
        .filter(s -> number.equals(s.getAttributes().get(AttributeKey.stringKey("herald.attempt"))))
        .findAny()
        .orElseThrow();
  }

  private static List<SpanData> named(String name) {
    return SPANS.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
  }

  @TestConfiguration(proxyBeanMethods = false)
  static class Spans {

    @Bean
    SpanProcessor inMemorySpans() {
      return SimpleSpanProcessor.create(SPANS);
    }

    /** Fails its first attempt. */
    @Bean
    ReceiverRegistration<Long> flakyRefund() {
      AtomicInteger calls = new AtomicInteger();
      return ReceiverRegistration.of(
          "refund.requested",
          "flaky",
          Long.class,
          d ->
              calls.incrementAndGet() == 1
                  ? Mono.error(new IllegalStateException("bank down"))
                  : Mono.empty());
    }
  }
}
