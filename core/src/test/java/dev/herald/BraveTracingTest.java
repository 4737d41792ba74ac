package dev.herald;

import static org.assertj.core.api.Assertions.assertThat;

import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.B3Propagation;
import brave.propagation.ThreadLocalCurrentTraceContext;
import dev.herald.testing.InMemoryTaskStore;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * {@link HeraldTracingHandler} on the Brave bridge with B3 propagation: no {@code traceparent}, so
 * the send's span is found through the propagator, and the link is written as Brave's link tags.
 */
class BraveTracingTest {

  record Placed(long orderId) {}

  private final List<MutableSpan> spans = new CopyOnWriteArrayList<>();
  private final Tracing brave =
      Tracing.newBuilder()
          .currentTraceContext(ThreadLocalCurrentTraceContext.create())
          .propagationFactory(B3Propagation.FACTORY)
          .addSpanHandler(
              new SpanHandler() {
                @Override
                public boolean end(
                    brave.propagation.TraceContext context, MutableSpan span, Cause cause) {
                  if (cause == Cause.FINISHED) {
                    spans.add(span);
                  }
                  return true;
                }
              })
          .build();

  @AfterEach
  void close() {
    brave.close();
  }

  @Test
  void aRetryIsANewTraceWhoseLinkTagsNameTheSendSpan() {
    BraveTracer tracer =
        new BraveTracer(
            brave.tracer(),
            new BraveCurrentTraceContext(brave.currentTraceContext()),
            new BraveBaggageManager());
    BravePropagator propagator = new BravePropagator(brave);
    ObservationRegistry registry = ObservationRegistry.create();
    registry
        .observationConfig()
        .observationHandler(
            new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new HeraldTracingHandler(tracer, propagator),
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)));
    InMemoryTaskStore store = InMemoryTaskStore.immediate();
    Herald herald = Herald.builder(store).observationRegistry(registry).build();
    Signal<Placed> placed = herald.signal("order.placed", Placed.class);
    List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    placed.connect(
        "ship",
        d -> {
          headers.add(d.headers());
          return calls.incrementAndGet() == 1
              ? Mono.error(new IllegalStateException("carrier down"))
              : Mono.empty();
        });
    herald.start();

    // Immediate mode: both attempts have run when the commit completes.
    StepVerifier.create(store.inTransaction(placed.sendReliable(new Placed(1)))).verifyComplete();

    MutableSpan send = named("send order.placed").get(0);
    List<MutableSpan> attempts = named("process order.placed");
    assertThat(headers.get(0)).containsKey("X-B3-TraceId").doesNotContainKey("traceparent");
    assertThat(attempts).hasSize(2);
    MutableSpan first = attempt(attempts, "1");
    MutableSpan retry = attempt(attempts, "2");
    assertThat(first.traceId()).isEqualTo(send.traceId());
    assertThat(first.parentId()).isEqualTo(send.id());
    assertThat(retry.traceId()).isNotEqualTo(send.traceId());
    assertThat(retry.parentId()).isNull();
    assertThat(retry.tag("links[0].traceId")).isEqualTo(send.traceId());
    assertThat(retry.tag("links[0].spanId")).isEqualTo(send.id());
  }

  private static MutableSpan attempt(List<MutableSpan> attempts, String number) {
    return attempts.stream()
        .filter(s -> number.equals(s.tag("herald.attempt")))
        .findAny()
        .orElseThrow();
  }

  private List<MutableSpan> named(String name) {
    return spans.stream().filter(s -> name.equals(s.name())).toList();
  }
}
