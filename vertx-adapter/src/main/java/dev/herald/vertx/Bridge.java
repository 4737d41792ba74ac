package dev.herald.vertx;

import io.vertx.core.Future;
import java.util.Objects;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/** Vert.x {@link Future} to Reactor, lazily. */
final class Bridge {

  private Bridge() {}

  /**
   * A {@code Mono} that calls {@code operation} on each subscription. A Vert.x future has already
   * started when it exists, so only a supplier gives retries and resubscriptions a new operation.
   * Cancelling the {@code Mono} does not stop the operation. Signals arrive on the thread that
   * completes the future, usually a Vert.x event loop.
   *
   * @param operation starts the operation; may throw, which fails the {@code Mono}
   * @param <T> the result
   * @return the result, or empty for a null result
   */
  static <T> Mono<T> mono(Supplier<? extends Future<T>> operation) {
    return Mono.fromCompletionStage(
        () ->
            Objects.requireNonNull(operation.get(), "the operation returned a null Future")
                .toCompletionStage());
  }
}
