package dev.herald.relay;

import static java.util.Objects.requireNonNull;

import dev.herald.Delivery;
import dev.herald.Receiver;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes signals to a Kafka topic, as a receiver: {@code signal.connect("to-kafka",
 * kafka.to("orders.payment-completed"))}.
 *
 * <p>Guarantees, on top of Herald's (the task exists if and only if the sender committed):
 *
 * <ul>
 *   <li><b>Acknowledged only after the brokers acknowledged.</b> The task succeeds only when the
 *       producer's callback reports the record written (with {@code acks=all}, as {@link
 *       #producerConfig(String)} sets, to every in-sync replica). Many records are in flight at
 *       once and the producer batches them.
 *   <li><b>No silent loss.</b> A send that fails, or no acknowledgement within {@link
 *       RelayOptions#confirmTimeout()}, fails the attempt with a {@link RelayException} (retried).
 *       Retriable errors (brokers unreachable, metadata time-outs) carry an I/O cause, which opens
 *       the relay's circuit breaker while Kafka is down: the backlog then waits in PostgreSQL
 *       without burning attempts. A record too large, an invalid topic or a payload that cannot be
 *       serialized dead-letters the task at once with a {@link
 *       dev.herald.PermanentFailureException}.
 *   <li><b>Harmless duplicates.</b> The idempotent producer ({@code enable.idempotence=true}) drops
 *       its own internal resends; the task id travels as the event id ({@code ce_id}, or the {@code
 *       message-id} header in raw mode), the same on every attempt, so consumers drop the
 *       duplicates a crash between acknowledgement and Herald's record of it can cause.
 *   <li><b>Order per key.</b> The record key is the task's ordering key (or what {@link #to(String,
 *       Function)} computes): one key, one partition; Herald runs one task per key at a time and
 *       starts the next only after this one's acknowledgement.
 * </ul>
 *
 * <p>In {@link RelayFormat#CLOUDEVENTS} format the record is a binary-mode CloudEvent: {@code ce_}
 * headers and the payload's JSON as value. {@code KafkaProducer.send} may block while it waits for
 * metadata or buffer space, up to {@code max.block.ms}: the relay calls it on its own thread, never
 * the caller's, and {@link #producerConfig(String)} bounds that wait to 5 s. A receiver's {@code
 * Mono} completes in the producer's callback, on its network thread, so what is chained after it
 * must be short and non-blocking. It never closes the producer it was given.
 */
public final class KafkaRelay implements AutoCloseable {

  private final KafkaPublisher publisher;

  private KafkaRelay(KafkaPublisher publisher) {
    this.publisher = publisher;
  }

  /**
   * The producer settings a relay needs, to add to (or override with) your own: idempotence on,
   * {@code acks=all}, {@code max.block.ms} 5 s (the relay's thread waits at most that long for
   * metadata), a delivery timeout under the default confirm timeout, string keys and byte values.
   *
   * @param bootstrapServers the brokers
   * @return a mutable configuration map
   */
  public static Map<String, Object> producerConfig(String bootstrapServers) {
    requireNonNull(bootstrapServers, "bootstrapServers");
    return new java.util.HashMap<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            5_000,
            ProducerConfig.LINGER_MS_CONFIG,
            5,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
            4_000,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
            9_000,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class.getName()));
  }

  /**
   * A relay on the producer with the default options (CloudEvents, 10 s confirm timeout).
   *
   * @param producer a producer with string keys and byte values, idempotent (see {@link
   *     #producerConfig(String)})
   * @return the relay
   */
  public static KafkaRelay create(Producer<String, byte[]> producer) {
    return create(producer, RelayOptions.defaults());
  }

  /**
   * A relay on the producer with the given options.
   *
   * @param producer a producer with string keys and byte values
   * @param options format, source, codec and confirm timeout
   * @return the relay
   */
  public static KafkaRelay create(Producer<String, byte[]> producer, RelayOptions options) {
    requireNonNull(producer, "producer");
    requireNonNull(options, "options");
    return new KafkaRelay(new KafkaPublisher(producer, options));
  }

  /**
   * A receiver that publishes each delivery to the topic, keyed by its ordering key (no key, and so
   * any partition, without one).
   *
   * @param topic the topic
   * @param <T> the signal's payload type
   * @return the receiver
   */
  public <T> Receiver<T> to(String topic) {
    return to(topic, Delivery::orderingKey);
  }

  /**
   * A receiver that publishes each delivery to the topic with a key computed from it.
   *
   * @param topic the topic
   * @param key the record key of a delivery, or null for none
   * @param <T> the signal's payload type
   * @return the receiver
   */
  public <T> Receiver<T> to(String topic, Function<? super Delivery<T>, String> key) {
    requireNonNull(topic, "topic");
    requireNonNull(key, "key");
    return d -> publisher.publish(topic, key.apply(d), d);
  }

  /**
   * Stops the relay's thread; records still waiting for an acknowledgement fail at once and are
   * retried by Herald. The producer, not closed here, may still deliver them.
   */
  @Override
  public void close() {
    publisher.close();
  }
}
