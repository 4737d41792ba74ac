package dev.herald.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.Herald;
import dev.herald.HeraldOptions;
import dev.herald.Signal;
import dev.herald.testkit.InMemoryTracing;
import dev.herald.testkit.Note;
import io.micrometer.observation.Observation;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.Future;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * A Vert.x application's trace crosses the commit: the Future facade has no Reactor context, so the
 * send's parent is the observation current on the event loop when it sends.
 */
class VertxTracingIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final VertxFixture fixture = new VertxFixture(VertxFixture.PIPELINED);
  private final InMemoryTracing tracing = new InMemoryTracing();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void theSendContinuesTheObservationCurrentOnTheEventLoopAndTheReceiverContinuesTheSend() {
    Herald herald =
        Herald.builder(fixture.entry())
            .options(HeraldOptions.builder().pollInterval(Duration.ofMillis(200)).build())
            .observationRegistry(tracing.registry())
            .build();
    fixture.heralds().add(herald);
    Signal<Note> signal = herald.signal("orders.paid", Note.class);
    signal.connect("receipt", VertxReceivers.fromFuture(d -> Future.succeededFuture()));
    herald.start();
    Observation checkout = Observation.start("checkout", tracing.registry());

    StepVerifier.create(
            Mono.fromCompletionStage(
                () ->
                    fixture
                        .pool()
                        .withTransaction(
                            conn ->
                                checkout.scoped(
                                    () ->
                                        VertxTaskStore.sendReliable(
                                            conn, signal, new Note("paid", 1))))
                        .toCompletionStage()))
        .expectComplete()
        .verify(TIMEOUT);
    checkout.stop();

    await().atMost(TIMEOUT).until(() -> tracing.spans("process orders.paid").size() == 1);
    SpanData root = tracing.spans("checkout").get(0);
    SpanData send = tracing.spans("send orders.paid").get(0);
    SpanData process = tracing.spans("process orders.paid").get(0);
    assertThat(send.getTraceId()).isEqualTo(root.getTraceId());
    assertThat(send.getParentSpanId()).isEqualTo(root.getSpanId());
    assertThat(process.getTraceId()).isEqualTo(root.getTraceId());
    assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
  }
}
