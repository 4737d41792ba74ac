package dev.herald;

import dev.herald.spi.ClaimedTask;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Sends and attempts observed with Micrometer Observation, named and tagged after OpenTelemetry's
 * messaging conventions. A send is a {@link SenderContext} whose carrier is the task's headers, so
 * the application's tracing handler injects its propagation fields ({@code traceparent}, {@code
 * tracestate}, baggage) into them; an attempt is a {@link ProcessContext} reading them back.
 */
final class Observed implements Observing {

  static final String SEND = "herald.send";
  static final String PROCESS = "herald.process";
  // The Reactor context key under which reactor and Spring keep the current observation.
  private static final String KEY = ObservationThreadLocalAccessor.KEY;

  private final ObservationRegistry registry;

  private Observed(ObservationRegistry registry) {
    this.registry = registry;
  }

  static Observing of(ObservationRegistry registry) {
    return new Observed(registry);
  }

  @Override
  public <T> Mono<T> send(
      String signal, Map<String, String> headers, Function<Map<String, String>, Mono<T>> write) {
    return Mono.deferContextual(
        ctx -> {
          // The application's headers first: a propagation field of the same name is replaced.
          Map<String, String> carrier = new LinkedHashMap<>(headers);
          SenderContext<Map<String, String>> context =
              new SenderContext<>((c, key, value) -> c.put(key, value), Kind.PRODUCER);
          context.setCarrier(carrier);
          Observation observation =
              Observation.createNotStarted(SEND, () -> context, registry)
                  .contextualName("send " + signal)
                  .lowCardinalityKeyValue("messaging.system", "herald")
                  .lowCardinalityKeyValue("messaging.operation.type", "send")
                  .lowCardinalityKeyValue("messaging.destination.name", signal)
                  .lowCardinalityKeyValue("signal", signal);
          // A reactive caller's observation lives in the Reactor context, not on this thread.
          if (ctx.getOrDefault(KEY, null) instanceof Observation parent) {
            observation.parentObservation(parent);
          }
          observation.start();
          Mono<T> written;
          try {
            written = write.apply(Map.copyOf(carrier));
          } catch (RuntimeException e) {
            observation.error(e);
            observation.stop();
            return Mono.error(e);
          }
          written = written.doOnError(observation::error).doFinally(s -> observation.stop());
          // The store's own observations (a traced driver's), if any, are the send's children.
          return observation.isNoop()
              ? written
              : written.contextWrite(c -> c.put(KEY, observation));
        });
  }

  @Override
  public Mono<Outcome> attempt(
      Route<?> route, ClaimedTask task, Function<AttemptScope, Mono<Outcome>> attempt) {
    return Mono.defer(
        () -> {
          ProcessContext context =
              new ProcessContext(
                  route.signal(),
                  route.receiverName(),
                  task.attempt(),
                  Attempt.headersOrEmpty(task.headers()));
          Observation observation =
              Observation.createNotStarted(PROCESS, () -> context, registry)
                  // The trace continues from the task's headers, never from whatever observation
                  // happens to be current where the dispatcher runs.
                  .parentObservation(null)
                  .contextualName("process " + route.signal())
                  .lowCardinalityKeyValue("messaging.system", "herald")
                  .lowCardinalityKeyValue("messaging.operation.type", "process")
                  .lowCardinalityKeyValue("messaging.destination.name", route.signal())
                  .lowCardinalityKeyValue("signal", route.signal())
                  .lowCardinalityKeyValue("receiver", route.receiverName())
                  .highCardinalityKeyValue("messaging.message.id", Long.toString(task.id()))
                  .highCardinalityKeyValue("herald.attempt", Integer.toString(task.attempt()));
          observation.start();
          AttemptScope scope =
              new AttemptScope() {
                @Override
                public Mono<Void> receive(Supplier<Mono<Void>> receiver) {
                  try (Observation.Scope s = observation.openScope()) {
                    return receiver.get();
                  }
                }

                @Override
                public void failed(Throwable error) {
                  observation.error(error);
                }
              };
          return attempt
              .apply(scope)
              .doOnNext(o -> observation.lowCardinalityKeyValue("herald.outcome", outcome(o)))
              .doFinally(
                  s -> {
                    if (s == SignalType.CANCEL) {
                      observation.lowCardinalityKeyValue("herald.outcome", "cancelled");
                    }
                    observation.stop();
                  })
              .contextWrite(c -> c.put(KEY, observation));
        });
  }

  private static String outcome(Outcome outcome) {
    if (outcome instanceof Outcome.Succeeded) {
      return "success";
    } else if (outcome instanceof Outcome.RetryLater) {
      return "retry";
    } else if (outcome instanceof Outcome.DeadLetter) {
      return "dead_letter";
    }
    return "released";
  }

  /**
   * A delivery attempt, as tracing handlers see it: the task's headers are its carrier. {@link
   * HeraldTracingHandler} tells a first attempt from a retry by {@link #attempt}.
   */
  static final class ProcessContext extends ReceiverContext<Map<String, String>> {

    final String signal;
    final String receiver;
    final int attempt;

    ProcessContext(String signal, String receiver, int attempt, Map<String, String> headers) {
      super((carrier, key) -> carrier.get(key), Kind.CONSUMER);
      this.signal = signal;
      this.receiver = receiver;
      this.attempt = attempt;
      setCarrier(headers);
    }
  }
}
