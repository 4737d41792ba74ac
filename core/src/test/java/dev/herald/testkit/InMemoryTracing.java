package dev.herald.testkit;

import dev.herald.HeraldTracingHandler;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;

/**
 * An OpenTelemetry SDK behind Micrometer Tracing's OTel bridge, exporting finished spans to memory,
 * and an {@link ObservationRegistry} with the tracing handlers an application registers: for tests
 * of Herald's trace propagation. Needs {@code micrometer-tracing-bridge-otel} and {@code
 * opentelemetry-sdk-testing} on the test classpath.
 */
public final class InMemoryTracing {

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SdkTracerProvider provider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  private final ContextPropagators propagators =
      ContextPropagators.create(W3CTraceContextPropagator.getInstance());
  private final OtelTracer tracer =
      new OtelTracer(provider.get("herald-test"), new OtelCurrentTraceContext(), event -> {});
  private final Propagator propagator =
      new OtelPropagator(propagators, provider.get("herald-test"));
  private final ObservationRegistry registry = ObservationRegistry.create();

  /**
   * The tracing handlers, first match wins.
   *
   * @param heraldHandler whether {@link HeraldTracingHandler} comes first (retries linked), or only
   *     Micrometer's standard handlers are registered
   */
  public InMemoryTracing(boolean heraldHandler) {
    ObservationHandler.FirstMatchingCompositeObservationHandler handlers =
        heraldHandler
            ? new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new HeraldTracingHandler(tracer, propagator),
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer))
            : new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer));
    registry.observationConfig().observationHandler(handlers);
  }

  /** With {@link HeraldTracingHandler}. */
  public InMemoryTracing() {
    this(true);
  }

  public ObservationRegistry registry() {
    return registry;
  }

  public Tracer tracer() {
    return tracer;
  }

  public Propagator propagator() {
    return propagator;
  }

  /** Every span finished so far, in the order they ended. */
  public List<SpanData> spans() {
    return exporter.getFinishedSpanItems();
  }

  /** Finished spans with this name. */
  public List<SpanData> spans(String name) {
    return spans().stream().filter(s -> s.getName().equals(name)).toList();
  }
}
