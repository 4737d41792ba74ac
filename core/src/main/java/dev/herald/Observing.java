package dev.herald;

import dev.herald.spi.ClaimedTask;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * Where sends and delivery attempts are observed. {@link #NONE} (no {@code ObservationRegistry}
 * given) costs a method call and loads no Micrometer type; {@link Observed} is the only class that
 * does, and it is loaded only when an application passes a registry.
 */
interface Observing {

  /** No observations: headers go out as the application gave them. */
  Observing NONE = new Observing() {};

  /**
   * Runs one send. {@code write} receives the headers to store: the application's, plus the
   * propagation fields of the send's observation, if any.
   */
  default <T> Mono<T> send(
      String signal, Map<String, String> headers, Function<Map<String, String>, Mono<T>> write) {
    return Mono.defer(() -> write.apply(headers));
  }

  /** Runs one delivery attempt; {@code attempt} gets the scope its receiver runs in. */
  default Mono<Outcome> attempt(
      Route<?> route, ClaimedTask task, Function<AttemptScope, Mono<Outcome>> attempt) {
    return attempt.apply(AttemptScope.NONE);
  }

  /** One attempt's observation, as {@link Attempt} sees it. */
  interface AttemptScope {

    AttemptScope NONE = new AttemptScope() {};

    /** Calls the receiver with the attempt's observation current on this thread. */
    default Mono<Void> receive(Supplier<Mono<Void>> receiver) {
      return receiver.get();
    }

    /** The attempt failed with {@code error} (not called when the task was only released). */
    default void failed(Throwable error) {}
  }
}
