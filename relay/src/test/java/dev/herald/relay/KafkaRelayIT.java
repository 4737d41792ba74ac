package dev.herald.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.BreakerState;
import dev.herald.HeraldEvent;
import dev.herald.relay.RelayFixture.Payment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link KafkaRelay} against an in-process KRaft broker (Kafka's own {@link KafkaClusterTestKit},
 * started once for the class): each test relays to its own topic and consumes it back.
 */
class KafkaRelayIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static KafkaClusterTestKit cluster;
  private static KafkaProducer<String, byte[]> producer;
  private static Admin admin;

  private final List<ConsumerRecord<String, byte[]>> received = new CopyOnWriteArrayList<>();
  private String topic;
  private RelayFixture fixture;
  private KafkaRelay relay;

  @BeforeAll
  static void startBroker() throws Exception {
    cluster = KafkaTestBroker.start();
    admin = cluster.admin();
    producer = new KafkaProducer<>(KafkaRelay.producerConfig(cluster.bootstrapServers()));
  }

  @AfterAll
  static void stopBroker() throws Exception {
    producer.close(Duration.ofSeconds(5));
    admin.close(Duration.ofSeconds(5));
    cluster.close();
  }

  @BeforeEach
  void createTopic() throws Exception {
    topic = "herald-it-" + UUID.randomUUID();
    admin
        .createTopics(
            List.of(new NewTopic(topic, 3, (short) 1).configs(Map.of("max.message.bytes", "4096"))))
        .all()
        .get();
    fixture = new RelayFixture();
  }

  @AfterEach
  void close() {
    fixture.close();
    if (relay != null) {
      relay.close();
    }
  }

  /** Reads the topic from the start until it holds {@code count} records, then a bit more. */
  private void consume(int count) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, "herald-it-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return received.size() >= count;
              });
      consumer.poll(Duration.ofMillis(500)).forEach(received::add);
    }
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  @Test
  void everyCommittedSendArrivesInOrderPerKeyAndNothingOfARolledBackTransaction() {
    relay = KafkaRelay.create(producer);
    fixture.signal.connect("to-kafka", relay.to(topic));
    fixture.herald.start();
    List<String> keys = List.of("order-a", "order-b", "order-c", "order-d");
    fixture.sendRolledBack("rolled-back", 10);
    fixture.sendCommitted(keys, 50);

    consume(200);
    assertThat(received).hasSize(200);
    Map<String, List<Integer>> byKey = new HashMap<>();
    Set<String> ids = new HashSet<>();
    for (ConsumerRecord<String, byte[]> r : received) {
      ids.add(header(r, "ce_id"));
      assertThat(header(r, "ce_type")).isEqualTo(RelayFixture.SIGNAL);
      assertThat(header(r, "ce_partitionkey")).isEqualTo(r.key());
      Payment p = JSON.readValue(r.value(), Payment.class);
      assertThat(p.order()).isEqualTo(r.key());
      byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(p.n());
    }
    assertThat(ids).hasSize(200);
    assertThat(byKey).containsOnlyKeys(keys);
    byKey.values().forEach(ns -> assertThat(ns).isEqualTo(IntStream.range(0, 50).boxed().toList()));
  }

  @Test
  void aRecordTooLargeForTheTopicIsDeadLetteredAtOnce() {
    relay = KafkaRelay.create(producer);
    fixture.signal.connect("to-kafka", relay.to(topic));
    fixture.herald.start();
    fixture
        .store
        .inTransaction(conn -> fixture.signal.sendReliable(new Payment("x".repeat(10_000), 1)))
        .block(Duration.ofSeconds(30));

    await().until(() -> fixture.events(HeraldEvent.DeadLettered.class).size() == 1);
    HeraldEvent.DeadLettered dead = fixture.events(HeraldEvent.DeadLettered.class).get(0);
    assertThat(dead.attempt()).isEqualTo(1);
    assertThat(dead.reason()).contains("RecordTooLargeException");
  }

  @Test
  void aBrokerThatGoesDownOpensTheBreakerTheBacklogWaitsAndDeliveryResumesWhenItIsBack()
      throws Exception {
    // A cluster of this test's own, its broker apart from its controller so that it can stop.
    try (KafkaClusterTestKit own = KafkaTestBroker.startSplit();
        Admin ownAdmin = own.admin()) {
      String downTopic = "herald-it-down-" + UUID.randomUUID();
      ownAdmin.createTopics(List.of(new NewTopic(downTopic, 1, (short) 1))).all().get();
      String bootstrap = own.bootstrapServers();
      Map<String, Object> config = KafkaRelay.producerConfig(bootstrap);
      // A send fails within about a second while the broker is down, not nine.
      config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);
      config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000);
      config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 1_500);
      try (KafkaProducer<String, byte[]> ownProducer = new KafkaProducer<>(config)) {
        relay = KafkaRelay.create(ownProducer);
        fixture.signal.connect(
            "to-kafka", RelayFixture.breakingFast(Duration.ofSeconds(2)), relay.to(downTopic));
        int broker = own.brokers().keySet().iterator().next();
        own.brokers().get(broker).shutdown();
        own.brokers().get(broker).awaitShutdown();
        fixture.herald.start();
        fixture.sendCommitted(List.of("a", "b", "c", "d", "e", "f", "g", "h"), 5);

        await().atMost(Duration.ofSeconds(60)).until(() -> fixture.breakerWent(BreakerState.OPEN));
        assertThat(fixture.events(HeraldEvent.DeadLettered.class)).isEmpty();
        assertThat(fixture.readyTasks()).isEqualTo(40);

        own.restartBroker(broker, Map.of()); // on the same port
        await().atMost(Duration.ofSeconds(90)).until(() -> fixture.readyTasks() == 0);
        Set<String> ids = new HashSet<>();
        KafkaTestBroker.readAll(bootstrap, downTopic).forEach(r -> ids.add(header(r, "ce_id")));
        assertThat(ids).hasSize(40);
        assertThat(fixture.breakerWent(BreakerState.CLOSED)).isTrue();
        assertThat(fixture.events(HeraldEvent.DeadLettered.class)).isEmpty();
      }
    }
  }
}
