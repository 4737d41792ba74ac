package dev.herald.relay;

import dev.herald.Delivery;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import reactor.core.publisher.Mono;

/** Publishes to JetStream from the relay's thread and completes each publish with its ack. */
final class JetStreamPublisher {

  private final JetStream js;
  private final RelayOptions options;
  private final ScheduledExecutorService io = IoThread.start("nats");

  JetStreamPublisher(JetStream js, RelayOptions options) {
    this.js = js;
    this.options = options;
  }

  Mono<Void> publish(String subject, Delivery<?> delivery) {
    String destination = "subject '" + subject + "'";
    long taskId = delivery.taskId();
    // Completes on jnats' thread, deliberately: Herald's work after it is short and non-blocking,
    // and a publishOn measured no faster (benchmarks/README.md, relay drain).
    return Mono.fromFuture(
            () ->
                CompletableFuture.supplyAsync(() -> send(subject, delivery), io)
                    .thenCompose(f -> f))
        .onErrorMap(e -> classify(destination, taskId, e))
        .timeout(
            options.confirmTimeout(),
            Mono.error(() -> Failures.timedOut(destination, taskId, options.confirmTimeout())))
        .then();
  }

  // On the relay's thread: jnats queues the message for its writer, which may take a lock.
  private CompletableFuture<PublishAck> send(String subject, Delivery<?> delivery) {
    Envelope e;
    try {
      e = Envelope.of(delivery, options);
    } catch (RuntimeException encoding) {
      throw new NotEncodable(encoding);
    }
    boolean raw = options.format() == RelayFormat.RAW;
    Headers headers = new Headers();
    for (Map.Entry<String, String> h : (raw ? e.headers : e.trace()).entrySet()) {
      headers.put(h.getKey(), h.getValue());
    }
    headers.put("Content-Type", raw ? Envelope.JSON : Envelope.STRUCTURED);
    PublishOptions publish = PublishOptions.builder().messageId(e.id).build();
    return js.publishAsync(subject, headers, raw ? e.payload() : e.structured(), publish);
  }

  private static Throwable classify(String destination, long taskId, Throwable error) {
    Throwable e =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (e instanceof NotEncodable n) {
      return Failures.permanent(destination, taskId, "payload not encodable", n.getCause());
    }
    if (e instanceof JetStreamApiException api) {
      // The stream answered and refused: a wrong expected stream, a message too large, a sealed
      // stream. Resending the same message gets the same answer.
      return Failures.permanent(
          destination, taskId, "the stream refused the message: " + api.getMessage(), api);
    }
    String message = String.valueOf(e.getMessage());
    if (message.contains("503") || message.toLowerCase().contains("no responders")) {
      return Failures.permanent(
          destination, taskId, "no stream captures this subject (" + message + ")", e);
    }
    return Failures.unavailable(destination, taskId, "publish failed", e);
  }

  void close() {
    io.shutdown();
  }

  /** The payload could not be encoded: carried out of the relay's thread to be classified. */
  private static final class NotEncodable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotEncodable(RuntimeException cause) {
      super(cause);
    }
  }
}
