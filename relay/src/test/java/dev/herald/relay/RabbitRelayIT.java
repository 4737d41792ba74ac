package dev.herald.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import dev.herald.BreakerState;
import dev.herald.HeraldEvent;
import dev.herald.relay.RelayFixture.Payment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link RabbitRelay} against the RabbitMQ on 127.0.0.1:5672 (guest/guest; {@code .ci/run} starts
 * it): each test declares its own exchange and queue and consumes what the relay published.
 */
class RabbitRelayIT {

  private static final String ROUTING_KEY = "payment.completed";
  private static final String TRACEPARENT =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static Connection connection;
  private static Channel admin;

  private final List<Delivery> received = new CopyOnWriteArrayList<>();
  private String exchange;
  private RelayFixture fixture;
  private RabbitRelay relay;

  @BeforeAll
  static void connect() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(5672);
    factory.setUsername("guest");
    factory.setPassword("guest");
    try {
      connection = factory.newConnection("herald-relay-it");
    } catch (java.io.IOException e) {
      throw new AssertionError(
          "RabbitMQ is not running on 127.0.0.1:5672 (start it with .ci/run or rabbitmq-server)",
          e);
    }
    admin = connection.createChannel();
  }

  @AfterAll
  static void disconnect() throws Exception {
    connection.close();
  }

  @BeforeEach
  void declare() throws Exception {
    exchange = "herald.it." + UUID.randomUUID();
    admin.exchangeDeclare(exchange, BuiltinExchangeType.DIRECT, false, true, Map.of());
    String queue = admin.queueDeclare().getQueue();
    admin.queueBind(queue, exchange, ROUTING_KEY);
    admin.basicConsume(queue, true, (tag, message) -> received.add(message), tag -> {});
    fixture = new RelayFixture();
  }

  @AfterEach
  void close() {
    fixture.close();
    if (relay != null) {
      relay.close();
    }
  }

  private void start(RelayOptions options, String exchange, String routingKey) {
    relay = RabbitRelay.create(connection, options);
    fixture.signal.connect("to-rabbit", relay.to(exchange, routingKey));
    fixture.herald.start();
  }

  @Test
  void everyCommittedSendArrivesInOrderPerKeyAndNothingOfARolledBackTransaction() {
    start(RelayOptions.defaults(), exchange, ROUTING_KEY);
    List<String> keys = List.of("order-a", "order-b", "order-c", "order-d");
    fixture.sendRolledBack("rolled-back", 10);
    fixture.sendCommitted(keys, 50);

    await().atMost(Duration.ofSeconds(60)).until(() -> received.size() >= 200);
    await().during(Duration.ofMillis(500)).until(() -> received.size() == 200);
    Map<String, List<Integer>> byKey = new java.util.HashMap<>();
    Set<String> ids = new HashSet<>();
    for (Delivery m : received) {
      JsonNode event = JSON.readTree(m.getBody());
      assertThat(event.get("id").asString()).isEqualTo(m.getProperties().getMessageId());
      ids.add(m.getProperties().getMessageId());
      byKey
          .computeIfAbsent(event.get("data").get("order").asString(), k -> new ArrayList<>())
          .add(event.get("data").get("n").asInt());
    }
    assertThat(ids).hasSize(200);
    assertThat(byKey).containsOnlyKeys(keys);
    byKey.values().forEach(ns -> assertThat(ns).isEqualTo(IntStream.range(0, 50).boxed().toList()));
    assertThat(fixture.events(HeraldEvent.Delivered.class)).hasSize(200);
  }

  @Test
  void aCloudEventCarriesTheSignalTaskIdTraceAndPayload() throws Exception {
    start(RelayOptions.builder().source("/shop/payments").build(), exchange, ROUTING_KEY);
    fixture.sendCommitted(new Payment("order-7", 1), Map.of("traceparent", TRACEPARENT));

    await().until(() -> received.size() == 1);
    Delivery m = received.get(0);
    long taskId = fixture.events(HeraldEvent.Delivered.class).get(0).taskId();
    assertThat(m.getProperties().getContentType()).startsWith("application/cloudevents+json");
    assertThat(m.getProperties().getMessageId()).isEqualTo(Long.toString(taskId));
    assertThat(m.getProperties().getDeliveryMode()).isEqualTo(2);
    assertThat(m.getProperties().getHeaders().get("traceparent").toString()).isEqualTo(TRACEPARENT);
    JsonNode event = JSON.readTree(m.getBody());
    assertThat(event.get("specversion").asString()).isEqualTo("1.0");
    assertThat(event.get("id").asString()).isEqualTo(Long.toString(taskId));
    assertThat(event.get("type").asString()).isEqualTo(RelayFixture.SIGNAL);
    assertThat(event.get("source").asString()).isEqualTo("/shop/payments");
    assertThat(event.get("datacontenttype").asString()).isEqualTo("application/json");
    assertThat(event.get("traceparent").asString()).isEqualTo(TRACEPARENT);
    assertThat(event.get("partitionkey").asString()).isEqualTo("order-7");
    assertThat(event.get("time").asString()).isNotBlank();
    assertThat(event.get("data")).isEqualTo(JSON.readTree("{\"order\":\"order-7\",\"n\":1}"));
  }

  @Test
  void rawModePublishesOnlyThePayloadWithTheTaskIdAsMessageId() throws Exception {
    start(RelayOptions.builder().format(RelayFormat.RAW).build(), exchange, ROUTING_KEY);
    fixture.sendCommitted(new Payment("order-8", 2), Map.of("traceparent", TRACEPARENT));

    await().until(() -> received.size() == 1);
    Delivery m = received.get(0);
    assertThat(new String(m.getBody(), StandardCharsets.UTF_8))
        .isEqualTo("{\"order\":\"order-8\",\"n\":2}");
    assertThat(m.getProperties().getContentType()).isEqualTo("application/json");
    assertThat(m.getProperties().getType()).isEqualTo(RelayFixture.SIGNAL);
    assertThat(m.getProperties().getMessageId())
        .isEqualTo(Long.toString(fixture.events(HeraldEvent.Delivered.class).get(0).taskId()));
    assertThat(m.getProperties().getHeaders().get("traceparent").toString()).isEqualTo(TRACEPARENT);
  }

  @Test
  void anUnroutableMessageIsDeadLetteredAtOnce() {
    start(RelayOptions.defaults(), exchange, "nobody.listens");
    fixture.sendCommitted(List.of("order-9"), 1);

    await().until(() -> fixture.events(HeraldEvent.DeadLettered.class).size() == 1);
    HeraldEvent.DeadLettered dead = fixture.events(HeraldEvent.DeadLettered.class).get(0);
    assertThat(dead.attempt()).isEqualTo(1);
    assertThat(dead.reason()).contains("unroutable").contains("nobody.listens");
    assertThat(received).isEmpty();
  }

  @Test
  void aMissingExchangeIsDeadLetteredAtOnceAndTheRelayGoesOnOnANewChannel() {
    relay = RabbitRelay.create(connection);
    String missing = "herald.it.missing." + UUID.randomUUID();
    fixture.signal.connect("to-nowhere", relay.to(missing, ROUTING_KEY));
    fixture.herald.start();
    fixture.sendCommitted(List.of("order-10"), 1);
    await().until(() -> fixture.events(HeraldEvent.DeadLettered.class).size() == 1);
    assertThat(fixture.events(HeraldEvent.DeadLettered.class).get(0).reason())
        .contains("no exchange '" + missing + "'");

    Payment after = new Payment("order-11", 0);
    relay
        .<Payment>to(exchange, ROUTING_KEY)
        .receive(
            new dev.herald.Delivery<>(
                RelayFixture.SIGNAL, "direct", 99, 1, java.time.Instant.now(), Map.of(), after))
        .block(Duration.ofSeconds(10));
    await().until(() -> received.size() == 1);
  }

  @Test
  void aBrokerThatCannotBeReachedOpensTheBreakerAndTheBacklogWaits() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    Connection closed = factory.newConnection("herald-relay-it-closed");
    closed.close();
    relay = RabbitRelay.create(closed);
    fixture.signal.connect(
        "to-rabbit",
        RelayFixture.breakingFast(Duration.ofMinutes(1)),
        relay.to(exchange, ROUTING_KEY));
    fixture.herald.start();
    fixture.sendCommitted(List.of("a", "b", "c", "d", "e", "f", "g", "h"), 5);

    await().until(() -> fixture.breakerWent(BreakerState.OPEN));
    assertThat(fixture.events(HeraldEvent.DeadLettered.class)).isEmpty();
    assertThat(fixture.events(HeraldEvent.Retried.class))
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.error()).contains("publish failed"));
    assertThat(fixture.readyTasks()).isEqualTo(40);
  }

  @Test
  void aFailureAfterTheConfirmResendsTheSameMessageIdOnly() {
    relay = RabbitRelay.create(connection);
    var publish = relay.<Payment>to(exchange, ROUTING_KEY);
    fixture.connectLosingEvenFirstAcknowledgements("to-rabbit", publish);
    fixture.herald.start();
    fixture.sendCommitted(List.of("order-12"), 10);

    await().until(() -> fixture.events(HeraldEvent.Delivered.class).size() == 10);
    await().until(() -> received.size() == 15);
    Map<String, Long> perId =
        received.stream()
            .collect(
                java.util.stream.Collectors.groupingBy(
                    m -> m.getProperties().getMessageId(), java.util.stream.Collectors.counting()));
    assertThat(perId).hasSize(10);
    assertThat(perId.values().stream().filter(c -> c == 2)).hasSize(5);
  }
}
