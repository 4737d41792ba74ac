package dev.herald.vertx;

import dev.herald.Delivery;
import dev.herald.Receiver;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * Receivers written the Vert.x way, as functions returning a {@link Future}:
 *
 * <pre>{@code
 * paymentCompleted.connect("complete-order",
 *     VertxReceivers.fromFuture(d -> pool.withTransaction(conn -> orders.complete(conn, d.payload()))));
 * }</pre>
 *
 * <p>The function is called once per delivery attempt, when Herald subscribes to the attempt, never
 * earlier: a Vert.x future has already started when it exists, so only calling the function again
 * makes a retry a new attempt. The attempt succeeds when the future succeeds and fails when it
 * fails, when the function throws or when it returns null; throw or fail with {@link
 * dev.herald.PermanentFailureException} to dead-letter the task at once. A timeout or a shutdown
 * cancels the attempt on Herald's side only: Vert.x futures cannot be cancelled, so the operation
 * runs to its end. Keep the function non-blocking.
 */
public final class VertxReceivers {

  private VertxReceivers() {}

  /**
   * A receiver from a future-returning function, called on the thread that runs the attempt (a
   * Herald or Vert.x event loop thread).
   *
   * @param receive starts one attempt
   * @param <T> the payload type
   * @return the receiver
   */
  public static <T> Receiver<T> fromFuture(Function<Delivery<T>, Future<Void>> receive) {
    Objects.requireNonNull(receive, "receive");
    return delivery -> Bridge.mono(() -> receive.apply(delivery)).then();
  }

  /**
   * A receiver from a future-returning function that must run on a given Vert.x context, for
   * example its verticle's, whose state it may then use without synchronization.
   *
   * @param context the context every attempt runs on
   * @param receive starts one attempt
   * @param <T> the payload type
   * @return the receiver
   */
  public static <T> Receiver<T> fromFuture(
      Context context, Function<Delivery<T>, Future<Void>> receive) {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(receive, "receive");
    return delivery ->
        Mono.fromCompletionStage(
                () -> {
                  CompletableFuture<Void> outcome = new CompletableFuture<>();
                  context.runOnContext(
                      v -> {
                        try {
                          Objects.requireNonNull(
                                  receive.apply(delivery), "the receiver returned a null Future")
                              .onComplete(
                                  (ok, error) -> {
                                    if (error == null) {
                                      outcome.complete(null);
                                    } else {
                                      outcome.completeExceptionally(error);
                                    }
                                  });
                        } catch (RuntimeException e) {
                          outcome.completeExceptionally(e);
                        }
                      });
                  return outcome;
                })
            .then();
  }
}
