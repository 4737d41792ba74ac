package dev.herald.relay;

import dev.herald.Delivery;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import reactor.core.publisher.Mono;

/** Sends from the relay's thread and completes each send with the producer's callback. */
final class KafkaPublisher {

  private final Producer<String, byte[]> producer;
  private final RelayOptions options;
  private final ScheduledExecutorService io = IoThread.start("kafka");

  KafkaPublisher(Producer<String, byte[]> producer, RelayOptions options) {
    this.producer = producer;
    this.options = options;
  }

  Mono<Void> publish(String topic, String key, Delivery<?> delivery) {
    String destination = "topic '" + topic + "'";
    long taskId = delivery.taskId();
    return Mono.<Void>create(
            sink -> {
              try {
                io.execute(
                    () -> {
                      try {
                        producer.send(
                            record(topic, key, delivery),
                            (metadata, error) -> {
                              if (error == null) {
                                // On the producer's network thread, deliberately: Herald's work
                                // after it is short and non-blocking, and a publishOn measured no
                                // faster (benchmarks/README.md, relay drain).
                                sink.success();
                              } else {
                                sink.error(classify(destination, taskId, error));
                              }
                            });
                      } catch (RuntimeException error) {
                        // send throws what it finds before queueing: serialization, max.block.ms.
                        sink.error(classify(destination, taskId, error));
                      }
                    });
              } catch (RejectedExecutionException e) {
                sink.error(Failures.refused(destination, taskId, "the relay is closed"));
              }
            })
        .timeout(
            options.confirmTimeout(),
            Mono.error(() -> Failures.timedOut(destination, taskId, options.confirmTimeout())));
  }

  // On the relay's thread: the codec's first use of a type takes locks.
  private ProducerRecord<String, byte[]> record(String topic, String key, Delivery<?> delivery) {
    Envelope e;
    try {
      e = Envelope.of(delivery, options);
    } catch (RuntimeException encoding) {
      throw new SerializationException("payload not encodable: " + encoding, encoding);
    }
    List<Header> headers = new ArrayList<>();
    if (options.format() == RelayFormat.RAW) {
      add(headers, "message-id", e.id);
      add(headers, "content-type", Envelope.JSON);
      e.headers.forEach((name, value) -> add(headers, name, value));
    } else {
      // Kafka protocol binding, binary mode: attributes as ce_ headers, data as the value.
      for (Map.Entry<String, String> a : e.attributes().entrySet()) {
        if (a.getKey().equals("datacontenttype")) {
          add(headers, "content-type", a.getValue());
        } else {
          add(headers, "ce_" + a.getKey(), a.getValue());
        }
      }
      e.trace().forEach((name, value) -> add(headers, name, value));
    }
    return new ProducerRecord<>(topic, null, key, e.payload(), headers);
  }

  private static void add(List<Header> headers, String name, String value) {
    headers.add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
  }

  static RuntimeException classify(String destination, long taskId, Throwable error) {
    if (error instanceof RecordTooLargeException
        || error instanceof RecordBatchTooLargeException
        || error instanceof InvalidTopicException
        || error instanceof SerializationException) {
      return Failures.permanent(destination, taskId, error.toString(), error);
    }
    if (error instanceof RetriableException) {
      // Brokers unreachable, metadata or delivery time-outs, leader changes: the breaker counts.
      return Failures.unavailable(destination, taskId, "send failed", error);
    }
    return Failures.refused(destination, taskId, "send failed: " + error);
  }

  void close() {
    io.shutdown();
  }
}
