package dev.herald;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testing.InMemoryTaskStore;
import dev.herald.testkit.InMemoryTracing;
import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.Span;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Trace propagation from {@code sendReliable} to each delivery attempt, over the in-memory store.
 */
class TracingTest {

  record Placed(long orderId) {}

  private final InMemoryTaskStore store = InMemoryTaskStore.create();
  private final List<Herald> heralds = new CopyOnWriteArrayList<>();
  private final List<Delivery<Placed>> deliveries = new CopyOnWriteArrayList<>();
  private final List<Span> current = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    heralds.forEach(h -> StepVerifier.create(h.close()).verifyComplete());
  }

  private Signal<Placed> signal(InMemoryTracing tracing, int failures) {
    Herald.Builder builder =
        Herald.builder(store)
            .options(HeraldOptions.builder().pollInterval(Duration.ofMillis(100)).build());
    if (tracing != null) {
      builder.observationRegistry(tracing.registry());
    }
    Herald herald = builder.build();
    heralds.add(herald);
    Signal<Placed> placed = herald.signal("order.placed", Placed.class);
    AtomicInteger calls = new AtomicInteger();
    placed.connect(
        "ship",
        ReceiverOptions.builder()
            .retryPolicy(
                RetryPolicy.builder()
                    .maxAttempts(3)
                    .initialDelay(Duration.ofMillis(10))
                    .jitter(false)
                    .build())
            .build(),
        d -> {
          deliveries.add(d);
          if (tracing != null) {
            current.add(tracing.tracer().currentSpan());
          }
          return calls.incrementAndGet() <= failures
              ? Mono.error(new IllegalStateException("carrier down"))
              : Mono.empty();
        });
    herald.start();
    return placed;
  }

  private static Mono<Void> within(Observation parent, Mono<Void> work) {
    return work.contextWrite(c -> c.put(ObservationThreadLocalAccessor.KEY, parent));
  }

  /** A {@code traceparent} naming this span, but for its flags. */
  private static String traceparent(SpanData span) {
    return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-";
  }

  private static String attr(SpanData span, String key) {
    return span.getAttributes().get(AttributeKey.stringKey(key));
  }

  @Test
  void firstAttemptIsAChildOfTheSendSpanInTheCallersTrace() {
    InMemoryTracing tracing = new InMemoryTracing();
    Signal<Placed> placed = signal(tracing, 0);
    Observation checkout = Observation.start("checkout", tracing.registry());

    StepVerifier.create(
            within(
                checkout,
                store.inTransaction(placed.sendReliable(new Placed(1), Map.of("tenant", "acme")))))
        .verifyComplete();
    checkout.stop();

    await().until(() -> tracing.spans("process order.placed").size() == 1);
    SpanData root = tracing.spans("checkout").get(0);
    SpanData send = tracing.spans("send order.placed").get(0);
    SpanData process = tracing.spans("process order.placed").get(0);
    assertThat(send.getTraceId()).isEqualTo(root.getTraceId());
    assertThat(send.getParentSpanId()).isEqualTo(root.getSpanId());
    assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
    assertThat(process.getTraceId()).isEqualTo(root.getTraceId());
    assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
    assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
    assertThat(process.getLinks()).isEmpty();

    assertThat(attr(send, "messaging.system")).isEqualTo("herald");
    assertThat(attr(send, "messaging.operation.type")).isEqualTo("send");
    assertThat(attr(send, "signal")).isEqualTo("order.placed");
    assertThat(attr(process, "messaging.operation.type")).isEqualTo("process");
    assertThat(attr(process, "messaging.destination.name")).isEqualTo("order.placed");
    assertThat(attr(process, "receiver")).isEqualTo("ship");
    assertThat(attr(process, "herald.outcome")).isEqualTo("success");
    assertThat(attr(process, "herald.attempt")).isEqualTo("1");
    assertThat(attr(process, "messaging.message.id"))
        .isEqualTo(Long.toString(deliveries.get(0).taskId()));

    // The application's header is kept; the send's context travels beside it.
    assertThat(deliveries.get(0).headers()).containsEntry("tenant", "acme");
    assertThat(deliveries.get(0).headers().get("traceparent")).startsWith(traceparent(send));
    // The attempt's span is current while the receiver is called.
    assertThat(current.get(0).context().spanId()).isEqualTo(process.getSpanId());
  }

  @Test
  void aRetryStartsANewTraceLinkedToTheSendSpan() {
    InMemoryTracing tracing = new InMemoryTracing();
    Signal<Placed> placed = signal(tracing, 1);

    StepVerifier.create(store.inTransaction(placed.sendReliable(new Placed(2)))).verifyComplete();

    await().until(() -> tracing.spans("process order.placed").size() == 2);
    SpanData send = tracing.spans("send order.placed").get(0);
    List<SpanData> attempts = tracing.spans("process order.placed");
    SpanData first =
        attempts.stream()
            .filter(s -> "1".equals(attr(s, "herald.attempt")))
            .findAny()
            .orElseThrow();
    SpanData second =
        attempts.stream()
            .filter(s -> "2".equals(attr(s, "herald.attempt")))
            .findAny()
            .orElseThrow();

    assertThat(first.getParentSpanId()).isEqualTo(send.getSpanId());
    assertThat(first.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(attr(first, "herald.outcome")).isEqualTo("retry");

    assertThat(second.getTraceId()).isNotEqualTo(send.getTraceId());
    assertThat(second.getParentSpanContext().isValid()).isFalse();
    assertThat(second.getLinks())
        .singleElement()
        .satisfies(
            link -> {
              assertThat(link.getSpanContext().getTraceId()).isEqualTo(send.getTraceId());
              assertThat(link.getSpanContext().getSpanId()).isEqualTo(send.getSpanId());
            });
    assertThat(attr(second, "herald.outcome")).isEqualTo("success");
    assertThat(current.get(1).context().spanId()).isEqualTo(second.getSpanId());
  }

  @Test
  void withOnlyTheStandardHandlersEveryAttemptIsAChildOfTheSend() {
    InMemoryTracing tracing = new InMemoryTracing(false);
    Signal<Placed> placed = signal(tracing, 1);

    StepVerifier.create(store.inTransaction(placed.sendReliable(new Placed(3)))).verifyComplete();

    await().until(() -> tracing.spans("process order.placed").size() == 2);
    SpanData send = tracing.spans("send order.placed").get(0);
    assertThat(tracing.spans("process order.placed"))
        .allSatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo(send.getSpanId()));
  }

  @Test
  void aSendWithoutACurrentObservationStartsATrace() {
    InMemoryTracing tracing = new InMemoryTracing();
    Signal<Placed> placed = signal(tracing, 0);

    StepVerifier.create(store.inTransaction(placed.sendReliable(new Placed(4)))).verifyComplete();

    await().until(() -> tracing.spans("process order.placed").size() == 1);
    SpanData send = tracing.spans("send order.placed").get(0);
    assertThat(send.getParentSpanContext().isValid()).isFalse();
    assertThat(tracing.spans("process order.placed").get(0).getParentSpanId())
        .isEqualTo(send.getSpanId());
  }

  @Test
  void aPropagationFieldReplacesTheApplicationsHeaderOfTheSameName() {
    InMemoryTracing tracing = new InMemoryTracing();
    Signal<Placed> placed = signal(tracing, 0);
    String stale = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    StepVerifier.create(
            store.inTransaction(
                placed.sendReliable(new Placed(5), Map.of("traceparent", stale, "tenant", "x"))))
        .verifyComplete();

    await().until(() -> deliveries.size() == 1);
    SpanData send = tracing.spans("send order.placed").get(0);
    assertThat(deliveries.get(0).headers()).containsEntry("tenant", "x");
    assertThat(deliveries.get(0).headers().get("traceparent")).startsWith(traceparent(send));
  }

  @Test
  void aBadHeaderStillFailsBeforeAnyTaskIsWrittenAndTheSendSpanSaysSo() {
    InMemoryTracing tracing = new InMemoryTracing();
    Signal<Placed> placed = signal(tracing, 0);

    StepVerifier.create(
            store.inTransaction(placed.sendReliable(new Placed(6), Map.of("bad", "a\u0000b"))))
        .expectError(PayloadEncodingException.class)
        .verify();

    assertThat(store.tasks()).isEmpty();
    SpanData send = tracing.spans("send order.placed").get(0);
    assertThat(send.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }

  @Test
  void withoutARegistryNoHeaderIsWrittenAndNoSpanRecorded() {
    InMemoryTracing tracing = new InMemoryTracing();
    Signal<Placed> placed = signal(null, 0);
    Observation checkout = Observation.start("checkout", tracing.registry());

    StepVerifier.create(
            within(
                checkout,
                store.inTransaction(placed.sendReliable(new Placed(7), Map.of("tenant", "y")))))
        .verifyComplete();
    checkout.stop();

    await().until(() -> deliveries.size() == 1);
    assertThat(deliveries.get(0).headers()).isEqualTo(Map.of("tenant", "y"));
    assertThat(tracing.spans()).extracting(SpanData::getName).containsExactly("checkout");
  }
}
