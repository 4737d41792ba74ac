package dev.herald.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.Herald;
import dev.herald.HeraldEvent;
import dev.herald.ReceiverOptions;
import dev.herald.RetryPolicy;
import dev.herald.Signal;
import dev.herald.testkit.Note;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Receivers written as Future-returning functions, run by a real dispatcher. */
class VertxReceiversIT {

  private final VertxFixture fixture = new VertxFixture(VertxFixture.SEQUENTIAL);

  @AfterEach
  void close() {
    fixture.close();
  }

  private static ReceiverOptions threeQuickAttempts() {
    return ReceiverOptions.builder()
        .retryPolicy(
            RetryPolicy.builder()
                .maxAttempts(3)
                .initialDelay(Duration.ofMillis(50))
                .jitter(false)
                .build())
        .build();
  }

  @Test
  void aRetriedTaskCallsTheFutureFunctionAgainOnEachAttempt() {
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    Herald herald = fixture.herald();
    Signal<Note> signal = herald.signal("orders.paid", Note.class);
    signal.connect(
        "flaky-future",
        threeQuickAttempts(),
        VertxReceivers.fromFuture(
            d -> {
              attempts.add(d.attempt());
              // A Vert.x future is eager: this timer starts now, once per call.
              return d.attempt() < 3
                  ? Future.failedFuture(new IllegalStateException("attempt " + d.attempt()))
                  : VertxFixture.vertx().timer(10).mapEmpty();
            }));
    List<HeraldEvent> events = new CopyOnWriteArrayList<>();
    herald.events().subscribe(events::add);
    herald.start();

    fixture.inTransaction(signal.sendReliable(new Note("k", 1))).block();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> events.stream().anyMatch(e -> e instanceof HeraldEvent.Delivered));
    assertThat(attempts).containsExactly(1, 2, 3);
    assertThat(events)
        .filteredOn(e -> e instanceof HeraldEvent.Retried)
        .extracting(e -> ((HeraldEvent.Retried) e).error())
        .containsExactly(
            "java.lang.IllegalStateException: attempt 1",
            "java.lang.IllegalStateException: attempt 2");
  }

  @Test
  void aContextBoundReceiverRunsEveryAttemptOnItsContext() {
    Context context = VertxFixture.vertx().getOrCreateContext();
    List<Boolean> onContext = new CopyOnWriteArrayList<>();
    Herald herald = fixture.herald();
    Signal<Note> signal = herald.signal("orders.paid", Note.class);
    signal.connect(
        "verticle",
        threeQuickAttempts(),
        VertxReceivers.fromFuture(
            context,
            d -> {
              onContext.add(Vertx.currentContext() == context);
              return d.attempt() == 1
                  ? Future.failedFuture(new IllegalStateException("first attempt"))
                  : Future.succeededFuture();
            }));
    herald.start();

    fixture.inTransaction(signal.sendReliable(new Note("k", 1))).block();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fixture.tasks().collectList().block().isEmpty() && onContext.size() == 2);
    assertThat(onContext).containsExactly(true, true);
  }
}
