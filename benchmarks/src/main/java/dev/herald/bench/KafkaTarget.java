package dev.herald.bench;

import dev.herald.Receiver;
import dev.herald.relay.KafkaRelay;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Kafka: each drain publishes, through a {@link KafkaRelay} on one producer with {@link
 * KafkaRelay#producerConfig} (idempotent, {@code acks=all}, linger 5 ms), to a topic of its own
 * ({@value #PARTITIONS} partitions, one replica) on the in-process broker the suite started, read
 * back with a consumer from the start of every partition.
 */
final class KafkaTarget implements RelayTarget {

  static final int PARTITIONS = 3;

  private final String bootstrap;
  private final KafkaProducer<String, byte[]> producer;
  private final Admin admin;

  private KafkaTarget(String bootstrap) {
    this.bootstrap = bootstrap;
    this.producer = new KafkaProducer<>(KafkaRelay.producerConfig(bootstrap));
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }

  static KafkaTarget open() {
    return new KafkaTarget(Brokers.kafka());
  }

  @Override
  public Destination destination(String name) throws Exception {
    String topic = "herald-bench-" + name + "-" + UUID.randomUUID();
    admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
    KafkaRelay relay = KafkaRelay.create(producer);
    Receiver<OrderPlaced> receiver = relay.to(topic);
    return new Destination() {
      @Override
      public Receiver<OrderPlaced> receiver() {
        return receiver;
      }

      @Override
      public Arrived readBack(long expected) throws Exception {
        Set<String> ids = new HashSet<>();
        long[] published = {0};
        Map<String, Object> config =
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                5_000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
          List<TopicPartition> partitions = new java.util.ArrayList<>();
          for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition(topic, p));
          }
          consumer.assign(partitions);
          consumer.seekToBeginning(partitions);
          ReadBack.settle(
              () -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                  Header id = r.headers().lastHeader("ce_id");
                  ids.add(id == null ? null : new String(id.value(), StandardCharsets.UTF_8));
                  published[0]++;
                }
                return published[0];
              },
              expected);
        }
        return new Arrived(published[0], ids.size());
      }

      @Override
      public void close() throws Exception {
        relay.close();
        admin.deleteTopics(List.of(topic)).all().get();
      }
    };
  }

  @Override
  public String describe() {
    return "Kafka (an in-process KRaft broker in a JVM of its own): "
        + PARTITIONS
        + " partitions, 1 replica, idempotent producer, acks=all, linger 5 ms";
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(10));
    producer.close(Duration.ofSeconds(10));
  }
}
