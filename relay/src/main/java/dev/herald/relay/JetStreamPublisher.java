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
import reactor.core.publisher.Mono;

/** Publishes to JetStream from the relay's thread and settles each publish with its ack. */
final class JetStreamPublisher {

  private final JetStream js;
  private final RelayOptions options;
  private final RelayLoop loop;

  JetStreamPublisher(JetStream js, RelayOptions options) {
    this.js = js;
    this.options = options;
    this.loop = new RelayLoop("nats", options.confirmTimeout());
  }

  Mono<Void> publish(String subject, Delivery<?> delivery) {
    return loop.publish(() -> new Publish(subject, delivery));
  }

  void close() {
    loop.close();
  }

  private final class Publish extends Flight {
    private final String subject;

    Publish(String subject, Delivery<?> delivery) {
      super("subject '" + subject + "'", delivery);
      this.subject = subject;
    }

    // On the relay's thread: jnats queues the message for its writer, which may take a lock.
    @Override
    void send() {
      Envelope e = envelope(options);
      if (e == null) {
        return;
      }
      boolean raw = options.format() == RelayFormat.RAW;
      Headers headers = new Headers();
      for (Map.Entry<String, String> h : (raw ? e.headers : e.trace()).entrySet()) {
        headers.put(h.getKey(), h.getValue());
      }
      headers.put("Content-Type", raw ? Envelope.JSON : Envelope.STRUCTURED);
      PublishOptions publish = PublishOptions.builder().messageId(e.id).build();
      CompletableFuture<PublishAck> ack;
      try {
        ack = js.publishAsync(subject, headers, raw ? e.payload() : e.structured(), publish);
      } catch (RuntimeException refused) {
        fail(classify(destination, taskId, refused));
        return;
      }
      // Settles on jnats' thread, deliberately: Herald's work after it is short and non-blocking,
      // and a publishOn measured no faster (benchmarks/README.md, relay drain).
      ack.whenComplete(
          (done, error) -> {
            if (error == null) {
              succeed();
            } else {
              fail(classify(destination, taskId, error));
            }
          });
    }
  }

  private static Throwable classify(String destination, long taskId, Throwable error) {
    Throwable e =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
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
}
