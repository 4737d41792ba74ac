package dev.herald.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.Herald;
import dev.herald.HeraldOptions;
import dev.herald.ReceiverOptions;
import dev.herald.RetryPolicy;
import dev.herald.Signal;
import dev.herald.testkit.InMemoryTracing;
import dev.herald.testkit.Note;
import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The trace crosses a real commit: the send's context is stored with the task rows on PostgreSQL
 * and read back by the dispatcher that claims them.
 */
class R2dbcTracingIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final R2dbcFixture fixture = new R2dbcFixture();
  private final InMemoryTracing tracing = new InMemoryTracing();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void senderAndReceiverShareATraceAcrossTheCommitAndARetryLinksToTheSend() {
    R2dbcTaskStore store = fixture.entry();
    Herald herald =
        Herald.builder(store)
            .options(HeraldOptions.builder().pollInterval(Duration.ofMillis(200)).build())
            .observationRegistry(tracing.registry())
            .build();
    fixture.heralds().add(herald);
    Signal<Note> signal = herald.signal("orders.paid", Note.class);
    AtomicInteger calls = new AtomicInteger();
    signal.connect(
        "receipt",
        ReceiverOptions.builder()
            .retryPolicy(
                RetryPolicy.builder()
                    .maxAttempts(3)
                    .initialDelay(Duration.ofMillis(50))
                    .jitter(false)
                    .build())
            .build(),
        d ->
            calls.incrementAndGet() == 1
                ? Mono.error(new IllegalStateException("mail server down"))
                : Mono.empty());
    herald.start();
    TransactionalOperator tx =
        TransactionalOperator.create(new R2dbcTransactionManager(R2dbcFixture.pool()));
    Observation checkout = Observation.start("checkout", tracing.registry());

    StepVerifier.create(
            signal
                .sendReliable(new Note("paid", 1))
                .as(tx::transactional)
                .contextWrite(c -> c.put(ObservationThreadLocalAccessor.KEY, checkout)))
        .expectComplete()
        .verify(TIMEOUT);
    checkout.stop();

    await().atMost(TIMEOUT).until(() -> tracing.spans("process orders.paid").size() == 2);
    SpanData root = tracing.spans("checkout").get(0);
    SpanData send = tracing.spans("send orders.paid").get(0);
    List<SpanData> attempts = tracing.spans("process orders.paid");
    SpanData first = attempt(attempts, "1");
    SpanData retry = attempt(attempts, "2");
    assertThat(send.getTraceId()).isEqualTo(root.getTraceId());
    assertThat(send.getParentSpanId()).isEqualTo(root.getSpanId());
    assertThat(first.getTraceId()).isEqualTo(root.getTraceId());
    assertThat(first.getParentSpanId()).isEqualTo(send.getSpanId());
    assertThat(retry.getTraceId()).isNotEqualTo(root.getTraceId());
    assertThat(retry.getParentSpanContext().isValid()).isFalse();
    assertThat(retry.getLinks())
        .singleElement()
        .satisfies(l -> assertThat(l.getSpanContext().getSpanId()).isEqualTo(send.getSpanId()));
  }

  private static SpanData attempt(List<SpanData> attempts, String number) {
    return attempts.stream()
        .filter(s -> number.equals(s.getAttributes().get(AttributeKey.stringKey("herald.attempt"))))
        .findAny()
        .orElseThrow();
  }
}
