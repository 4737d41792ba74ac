package dev.herald;

import io.micrometer.observation.Observation;
import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import java.util.Map;
import java.util.Objects;

/**
 * Micrometer Tracing handler for Herald's delivery attempts ({@code herald.process} observations,
 * see {@link Herald.Builder#observationRegistry}): the first attempt continues the sender's trace,
 * a later one starts a new trace that links to it.
 *
 * <ul>
 *   <li>Attempt 1: a consumer span whose parent is the send's span, extracted from the task's
 *       headers by the {@link Propagator} (as Micrometer's {@code
 *       PropagatingReceiverTracingObservationHandler} does).
 *   <li>Attempt 2 and later (a retry, or a task whose dispatcher crashed): a consumer span in a new
 *       trace, with one {@link Link} to the send's span. A trace then stays the story of one
 *       request, however often and however late its receivers were retried, and every attempt is
 *       one click away from the send that caused it. The send's span is read from the W3C {@code
 *       traceparent} header, else through the propagator (B3 and other formats), which needs a
 *       sampled send.
 *   <li>A task sent without trace context (no registry at the sender, or no tracer there): a new
 *       trace without a link.
 * </ul>
 *
 * <p>It supports only Herald's attempts, so it must come before Micrometer's propagating receiver
 * handler wherever handlers are matched first-come (Spring Boot's {@code
 * FirstMatchingCompositeObservationHandler} of tracing handlers; the Herald starter registers it
 * so). In plain Java:
 *
 * <pre>{@code
 * registry.observationConfig().observationHandler(
 *     new ObservationHandler.FirstMatchingCompositeObservationHandler(
 *         new HeraldTracingHandler(tracer, propagator),
 *         new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
 *         new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
 *         new DefaultTracingObservationHandler(tracer)));
 * }</pre>
 *
 * <p>Links are recorded by the OpenTelemetry bridge as span links, and by the Brave bridge as
 * {@code links[i].traceId}/{@code links[i].spanId} tags. Needs {@code micrometer-tracing} on the
 * classpath (an optional dependency of Herald). Thread-safe.
 */
public final class HeraldTracingHandler implements TracingObservationHandler<Observation.Context> {

  private static final Propagator.Getter<Map<String, String>> GETTER = Map::get;

  private final Tracer tracer;
  private final Propagator propagator;

  /**
   * Creates the handler.
   *
   * @param tracer the application's tracer
   * @param propagator the propagator its send side injects with
   */
  public HeraldTracingHandler(Tracer tracer, Propagator propagator) {
    this.tracer = Objects.requireNonNull(tracer, "tracer");
    this.propagator = Objects.requireNonNull(propagator, "propagator");
  }

  /**
   * Only Herald's delivery attempts.
   *
   * @param context an observation's context
   * @return whether it is a Herald attempt's
   */
  @Override
  public boolean supportsContext(Observation.Context context) {
    return context instanceof Observed.ProcessContext;
  }

  /**
   * Starts the attempt's span: a child of the send's span on attempt 1, else a new trace linked to
   * it.
   *
   * @param context a Herald attempt's context
   */
  @Override
  public void onStart(Observation.Context context) {
    Observed.ProcessContext attempt = (Observed.ProcessContext) context;
    Map<String, String> headers = Objects.requireNonNull(attempt.getCarrier());
    Span span;
    if (attempt.attempt <= 1) {
      span = propagator.extract(headers, GETTER).kind(Span.Kind.CONSUMER).start();
    } else {
      TraceContext sender = sender(headers);
      // No parent: Brave ignores setNoParent and would parent on whatever is current here.
      try (Tracer.SpanInScope none = tracer.withSpan(null)) {
        Span.Builder builder = tracer.spanBuilder().setNoParent().kind(Span.Kind.CONSUMER);
        if (sender != null) {
          builder.addLink(new Link(sender));
        }
        span = builder.start();
      }
    }
    getTracingContext(context).setSpan(span);
  }

  /**
   * Tags, names and ends the attempt's span.
   *
   * @param context a Herald attempt's context
   */
  @Override
  public void onStop(Observation.Context context) {
    Span span = getRequiredSpan(context);
    tagSpan(context, span);
    span.name(getSpanName(context));
    endSpan(context, span);
  }

  /**
   * The tracer.
   *
   * @return the tracer
   */
  @Override
  public Tracer getTracer() {
    return tracer;
  }

  /** The send's span context, from {@code traceparent} or else through the propagator. */
  private TraceContext sender(Map<String, String> headers) {
    TraceContext fromW3c = traceparent(headers.get("traceparent"));
    if (fromW3c != null) {
      return fromW3c;
    }
    // Other formats: the context a child of the send would have names the send as its parent.
    // The probe is abandoned, never reported.
    Span probe;
    try (Tracer.SpanInScope none = tracer.withSpan(null)) {
      probe = propagator.extract(headers, GETTER).start();
    }
    TraceContext child = probe.context();
    probe.abandon();
    String parent = child.parentId();
    if (parent == null) {
      return null;
    }
    return tracer
        .traceContextBuilder()
        .traceId(child.traceId())
        .spanId(parent)
        .sampled(child.sampled())
        .build();
  }

  // version "-" trace-id (32 hex) "-" parent-id (16 hex) "-" flags (2 hex), lower case.
  private TraceContext traceparent(String value) {
    if (value == null || value.length() < 55) {
      return null;
    }
    String[] parts = value.trim().split("-");
    if (parts.length < 4
        || !hex(parts[1], 32)
        || !hex(parts[2], 16)
        || !hex(parts[3], 2)
        || parts[1].chars().allMatch(c -> c == '0')
        || parts[2].chars().allMatch(c -> c == '0')) {
      return null;
    }
    boolean sampled = (Integer.parseInt(parts[3], 16) & 1) == 1;
    return tracer.traceContextBuilder().traceId(parts[1]).spanId(parts[2]).sampled(sampled).build();
  }

  private static boolean hex(String s, int length) {
    return s.length() == length
        && s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  }
}
