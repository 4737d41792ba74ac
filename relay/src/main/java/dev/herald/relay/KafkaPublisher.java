package dev.herald.relay;

import dev.herald.Delivery;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

/** Sends from the relay's thread and settles each send with the producer's callback. */
final class KafkaPublisher {

  private final Producer<String, byte[]> producer;
  private final RelayOptions options;
  private final RelayLoop loop;

  KafkaPublisher(Producer<String, byte[]> producer, RelayOptions options) {
    this.producer = producer;
    this.options = options;
    this.loop = new RelayLoop("kafka", options.confirmTimeout());
  }

  Mono<Void> publish(String topic, String key, Delivery<?> delivery) {
    return loop.publish(() -> new Send(topic, key, delivery));
  }

  void close() {
    loop.close();
  }

  private final class Send extends Flight {
    private final String topic;
    private final String key;

    Send(String topic, String key, Delivery<?> delivery) {
      super("topic '" + topic + "'", delivery);
      this.topic = topic;
      this.key = key;
    }

    // On the relay's thread: the codec's first use of a type takes locks, and send may wait for
    // metadata up to max.block.ms.
    @Override
    void send() {
      Envelope e = envelope(options);
      if (e == null) {
        return;
      }
      ProducerRecord<String, byte[]> record = record(topic, key, e);
      try {
        producer.send(
            record,
            (metadata, error) -> {
              if (error == null) {
                // On the producer's network thread, deliberately: Herald's work after it is short
                // and non-blocking, and a publishOn measured no faster (benchmarks/README.md,
                // relay drain).
                succeed();
              } else {
                fail(classify(destination, taskId, error));
              }
            });
      } catch (RuntimeException error) {
        // send throws what it finds before queueing: serialization, max.block.ms.
        fail(classify(destination, taskId, error));
      }
    }
  }

  private ProducerRecord<String, byte[]> record(String topic, String key, Envelope e) {
    List<Header> headers = new ArrayList<>();
    if (options.format() == RelayFormat.RAW) {
      add(headers, "message-id", e.id);
      add(headers, "content-type", Envelope.JSON);
      e.headers.forEach((name, value) -> add(headers, name, value));
    } else {
      // Kafka protocol binding, binary mode: attributes as ce_ headers, data as the value.
      e.attributes(
          (name, value) ->
              add(headers, name.equals("datacontenttype") ? "content-type" : "ce_" + name, value));
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
}
