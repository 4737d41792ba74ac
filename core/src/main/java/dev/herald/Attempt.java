package dev.herald;

import dev.herald.spi.ClaimedTask;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * One delivery attempt: decode the task, run its receiver under timeout and breaker, and say what
 * came of it. Never fails: every error, thrown or signalled, becomes an {@link Outcome}.
 */
final class Attempt {

  // Built here, on the class-loading thread, so header decoding never builds a deserializer (and
  // takes Jackson's cache lock) on an event loop.
  private static final ObjectReader HEADER_READER =
      JsonMapper.builder().build().readerFor(new TypeReference<Map<String, String>>() {});
  private static final int MAX_REASON_LENGTH = 2000;

  private final PayloadCodec codec;
  private final Scheduler scheduler;
  private final boolean retryAtOnce;
  private final EngineHooks hooks;
  private final Observing observing;

  /**
   * @param retryAtOnce immediate mode: failed attempts are retried without delay
   * @param hooks told when a receiver call starts and ends
   * @param observing where each attempt is observed
   */
  Attempt(
      PayloadCodec codec,
      Scheduler scheduler,
      boolean retryAtOnce,
      EngineHooks hooks,
      Observing observing) {
    this.hooks = hooks;
    this.observing = observing;
    this.codec = codec;
    this.scheduler = scheduler;
    this.retryAtOnce = retryAtOnce;
  }

  Mono<Outcome> run(ReceiverRuntime rt, ClaimedTask task) {
    return observing.attempt(
        rt.route,
        task,
        scope ->
            Mono.defer(() -> start(rt, task, scope))
                .onErrorResume(
                    e -> {
                      // A codec or receiver may throw Errors too; only JVM-fatal ones propagate.
                      Exceptions.throwIfJvmFatal(e);
                      Outcome outcome = failed(rt, task, e);
                      if (!(outcome instanceof Outcome.Release)) {
                        scope.failed(e);
                      }
                      return Mono.just(outcome);
                    }));
  }

  private Mono<Outcome> start(ReceiverRuntime rt, ClaimedTask task, Observing.AttemptScope scope) {
    Route<?> route = rt.route;
    Delivery<?> delivery;
    try {
      delivery = toDelivery(route, task);
    } catch (Throwable e) {
      Exceptions.throwIfJvmFatal(e);
      scope.failed(e);
      return Mono.just(new Outcome.DeadLetter(bounded("undecodable payload: " + describe(e))));
    }
    int maxAttempts = route.options().retryPolicy().maxAttempts();
    if (task.attempt() > maxAttempts) {
      return Mono.just(
          new Outcome.DeadLetter(
              "attempt "
                  + task.attempt()
                  + " exceeds maxAttempts "
                  + maxAttempts
                  + ": earlier attempts never reported back (their dispatcher crashed or hung)"));
    }
    long started = System.nanoTime();
    // Observed inside the breaker: a call it refuses never reaches the receiver and is not timed.
    Mono<Void> call =
        Mono.defer(
            () -> {
              long start = System.nanoTime();
              hooks.attemptStarted(task);
              return invoke(route, delivery, scope)
                  .timeout(route.options().timeout(), scheduler)
                  .doOnSuccess(v -> hooks.attemptEnded(task, System.nanoTime() - start, null))
                  .doOnError(e -> hooks.attemptEnded(task, System.nanoTime() - start, e));
            });
    if (rt.breaker != null) {
      call = call.transformDeferred(CircuitBreakerOperator.of(rt.breaker));
    }
    return call.then(
        Mono.fromSupplier(
            () -> (Outcome) new Outcome.Succeeded(Duration.ofNanos(System.nanoTime() - started))));
  }

  private Outcome failed(ReceiverRuntime rt, ClaimedTask task, Throwable error) {
    if (error instanceof CallNotPermittedException) {
      return new Outcome.Release("circuit breaker open", true);
    }
    PermanentFailureException permanent = permanentCause(error);
    if (permanent != null) {
      return new Outcome.DeadLetter(bounded("permanent failure: " + describe(permanent)));
    }
    String reason =
        error instanceof TimeoutException
            ? "timed out after " + rt.route.options().timeout()
            : describe(error);
    if (!rt.route.options().retryPolicy().retriesAfter(task.attempt())) {
      return new Outcome.DeadLetter(
          bounded("gave up after " + task.attempt() + " attempts: " + reason));
    }
    Duration delay =
        retryAtOnce
            ? Duration.ZERO
            : rt.route
                .options()
                .retryPolicy()
                .delayAfter(task.attempt(), ThreadLocalRandom.current()::nextDouble);
    return new Outcome.RetryLater(delay, bounded(reason));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Mono<Void> invoke(Route route, Delivery delivery, Observing.AttemptScope scope) {
    return Mono.defer(() -> scope.receive(() -> route.receiver().receive(delivery)));
  }

  /** A task's stored headers, or none if they cannot be read (its attempt dead-letters it). */
  static Map<String, String> headersOrEmpty(String headers) {
    try {
      return headers(headers);
    } catch (RuntimeException e) {
      return Map.of();
    }
  }

  private static Map<String, String> headers(String h) {
    return h == null || h.equals("{}") ? Map.of() : HEADER_READER.readValue(h);
  }

  private Delivery<?> toDelivery(Route<?> route, ClaimedTask task) {
    Object payload = codec.decode(task.payload(), route.type());
    if (payload == null) {
      throw new IllegalArgumentException("payload decoded to null");
    }
    Map<String, String> headers = headers(task.headers());
    return newDelivery(route, task, payload, headers);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Delivery<?> newDelivery(
      Route<?> route, ClaimedTask task, Object payload, Map<String, String> headers) {
    return new Delivery(
        route.signal(),
        route.receiverName(),
        task.id(),
        task.attempt(),
        task.createdAt() == null ? Instant.EPOCH : task.createdAt(),
        headers,
        payload,
        task.orderKey());
  }

  private static PermanentFailureException permanentCause(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof PermanentFailureException p) {
        return p;
      }
    }
    return null;
  }

  static String describe(Throwable e) {
    return e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  private static String bounded(String s) {
    return s.length() <= MAX_REASON_LENGTH ? s : s.substring(0, MAX_REASON_LENGTH) + "…";
  }
}
