package dev.herald.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Delivery;
import dev.herald.Receiver;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The Future-to-Mono bridge of {@link VertxReceivers}, without a database. */
class VertxReceiversTest {

  private static final Delivery<String> DELIVERY =
      new Delivery<>("s", "r", 1, 1, Instant.EPOCH, Map.of(), "payload");

  @Test
  void theFunctionRunsOnlyWhenTheAttemptIsSubscribedAndOncePerSubscription() {
    AtomicInteger calls = new AtomicInteger();
    Receiver<String> receiver =
        VertxReceivers.fromFuture(
            d -> {
              calls.incrementAndGet();
              return Future.succeededFuture();
            });

    Mono<Void> attempt = receiver.receive(DELIVERY);
    assertThat(calls).hasValue(0);

    StepVerifier.create(attempt).verifyComplete();
    StepVerifier.create(attempt).verifyComplete();
    assertThat(calls).hasValue(2);
  }

  @Test
  void aFailedFutureAThrowingFunctionAndANullFutureFailTheAttempt() {
    StepVerifier.create(
            VertxReceivers.<String>fromFuture(
                    d -> Future.failedFuture(new IllegalStateException("mail server down")))
                .receive(DELIVERY))
        .expectErrorMessage("mail server down")
        .verify();
    StepVerifier.create(
            VertxReceivers.<String>fromFuture(
                    d -> {
                      throw new IllegalArgumentException("bad payload");
                    })
                .receive(DELIVERY))
        .expectErrorMessage("bad payload")
        .verify();
    StepVerifier.create(VertxReceivers.<String>fromFuture(d -> null).receive(DELIVERY))
        .expectErrorMessage("the operation returned a null Future")
        .verify();
  }

  @Test
  void theContextFormAlsoRunsLazilyAndReportsFailures() {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      AtomicInteger calls = new AtomicInteger();
      Receiver<String> receiver =
          VertxReceivers.fromFuture(
              vertx.getOrCreateContext(),
              d ->
                  calls.incrementAndGet() == 1
                      ? Future.failedFuture(new IllegalStateException("first"))
                      : Future.succeededFuture());
      Mono<Void> attempt = receiver.receive(DELIVERY);
      assertThat(calls).hasValue(0);

      StepVerifier.create(attempt).expectErrorMessage("first").verify();
      StepVerifier.create(attempt).verifyComplete();
      StepVerifier.create(
              VertxReceivers.<String>fromFuture(vertx.getOrCreateContext(), d -> null)
                  .receive(DELIVERY))
          .expectErrorMessage("the receiver returned a null Future")
          .verify();
      assertThat(calls).hasValue(2);
    } finally {
      vertx.close();
    }
  }
}
