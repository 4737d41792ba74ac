package dev.herald.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.BreakerState;
import dev.herald.HeraldEvent;
import dev.herald.relay.RelayFixture.Payment;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link JetStreamRelay} against the NATS server with JetStream on 127.0.0.1:4222 ({@code .ci/run}
 * starts it): each test creates its own memory stream and reads back what the relay stored.
 */
class JetStreamRelayIT {

  private static final String TRACEPARENT =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static Connection nats;
  private static JetStreamManagement jsm;

  private String stream;
  private String subject;
  private RelayFixture fixture;
  private JetStreamRelay relay;

  @BeforeAll
  static void connect() throws Exception {
    try {
      nats = Nats.connect("nats://127.0.0.1:4222");
    } catch (java.io.IOException e) {
      throw new AssertionError(
          "NATS is not running on 127.0.0.1:4222 (start it with .ci/run or nats-server -js)", e);
    }
    jsm = nats.jetStreamManagement();
  }

  @AfterAll
  static void disconnect() throws Exception {
    nats.close();
  }

  @BeforeEach
  void createStream() throws Exception {
    stream = "HERALD_IT_" + UUID.randomUUID().toString().replace("-", "");
    subject = "herald-it." + stream;
    jsm.addStream(
        StreamConfiguration.builder()
            .name(stream)
            .subjects(subject + ".>")
            .storageType(StorageType.Memory)
            .duplicateWindow(Duration.ofMinutes(2))
            .build());
    fixture = new RelayFixture();
  }

  @AfterEach
  void close() throws Exception {
    fixture.close();
    if (relay != null) {
      relay.close();
    }
    jsm.deleteStream(stream);
  }

  private long stored() throws Exception {
    return jsm.getStreamInfo(stream).getStreamState().getMsgCount();
  }

  private List<MessageInfo> messages() throws Exception {
    List<MessageInfo> all = new ArrayList<>();
    for (long seq = 1; seq <= stored(); seq++) {
      all.add(jsm.getMessage(stream, seq));
    }
    return all;
  }

  @Test
  void everyCommittedSendIsStoredInOrderPerKeyAndNothingOfARolledBackTransaction()
      throws Exception {
    relay = JetStreamRelay.create(nats);
    fixture.signal.connect("to-nats", relay.to(d -> subject + "." + d.orderingKey()));
    fixture.herald.start();
    List<String> keys = List.of("order-a", "order-b", "order-c", "order-d");
    fixture.sendRolledBack("rolled-back", 10);
    fixture.sendCommitted(keys, 50);

    await().atMost(Duration.ofSeconds(60)).until(() -> stored() >= 200);
    await().during(Duration.ofMillis(500)).until(() -> stored() == 200);
    Map<String, List<Integer>> byKey = new HashMap<>();
    Set<String> ids = new HashSet<>();
    for (MessageInfo m : messages()) {
      JsonNode event = JSON.readTree(m.getData());
      assertThat(m.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo(event.get("id").asString());
      ids.add(event.get("id").asString());
      String key = event.get("data").get("order").asString();
      assertThat(m.getSubject()).isEqualTo(subject + "." + key);
      byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(event.get("data").get("n").asInt());
    }
    assertThat(ids).hasSize(200);
    assertThat(byKey).containsOnlyKeys(keys);
    byKey.values().forEach(ns -> assertThat(ns).isEqualTo(IntStream.range(0, 50).boxed().toList()));
  }

  @Test
  void aCloudEventCarriesTheSignalTaskIdAndTrace() throws Exception {
    relay = JetStreamRelay.create(nats);
    fixture.signal.connect("to-nats", relay.to(subject + ".all"));
    fixture.herald.start();
    fixture.sendCommitted(new Payment("order-7", 1), Map.of("traceparent", TRACEPARENT));

    await().until(() -> stored() == 1);
    MessageInfo m = messages().get(0);
    long taskId = fixture.events(HeraldEvent.Delivered.class).get(0).taskId();
    assertThat(m.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo(Long.toString(taskId));
    assertThat(m.getHeaders().getFirst("Content-Type")).startsWith("application/cloudevents+json");
    assertThat(m.getHeaders().getFirst("traceparent")).isEqualTo(TRACEPARENT);
    JsonNode event = JSON.readTree(m.getData());
    assertThat(event.get("specversion").asString()).isEqualTo("1.0");
    assertThat(event.get("type").asString()).isEqualTo(RelayFixture.SIGNAL);
    assertThat(event.get("id").asString()).isEqualTo(Long.toString(taskId));
    assertThat(event.get("traceparent").asString()).isEqualTo(TRACEPARENT);
    assertThat(event.get("data")).isEqualTo(JSON.readTree("{\"order\":\"order-7\",\"n\":1}"));
  }

  @Test
  void rawModeStoresOnlyThePayload() throws Exception {
    relay = JetStreamRelay.create(nats, RelayOptions.builder().format(RelayFormat.RAW).build());
    fixture.signal.connect("to-nats", relay.to(subject + ".raw"));
    fixture.herald.start();
    fixture.sendCommitted(new Payment("order-8", 2), Map.of());

    await().until(() -> stored() == 1);
    MessageInfo m = messages().get(0);
    assertThat(new String(m.getData(), StandardCharsets.UTF_8))
        .isEqualTo("{\"order\":\"order-8\",\"n\":2}");
    assertThat(m.getHeaders().getFirst("Content-Type")).isEqualTo("application/json");
  }

  @Test
  void aSubjectNoStreamCapturesIsDeadLetteredAtOnce() {
    relay = JetStreamRelay.create(nats);
    fixture.signal.connect("to-nats", relay.to("herald-it.nobody." + UUID.randomUUID()));
    fixture.herald.start();
    fixture.sendCommitted(List.of("order-9"), 1);

    await().until(() -> fixture.events(HeraldEvent.DeadLettered.class).size() == 1);
    HeraldEvent.DeadLettered dead = fixture.events(HeraldEvent.DeadLettered.class).get(0);
    assertThat(dead.attempt()).isEqualTo(1);
    assertThat(dead.reason()).contains("no stream");
  }

  @Test
  void aResendAfterALostAcknowledgementIsDroppedByTheStream() throws Exception {
    relay = JetStreamRelay.create(nats);
    var publish = relay.<Payment>to(subject + ".dup");
    fixture.connectLosingEvenFirstAcknowledgements("to-nats", publish);
    fixture.herald.start();
    fixture.sendCommitted(List.of("order-12"), 10);

    await().until(() -> fixture.events(HeraldEvent.Delivered.class).size() == 10);
    assertThat(fixture.events(HeraldEvent.Retried.class)).hasSize(5);
    assertThat(stored()).isEqualTo(10);
  }

  @Test
  void aServerThatGoesDownOpensTheBreakerTheBacklogWaitsAndDeliveryResumesWhenItIsBack()
      throws Exception {
    // A server of this test's own: the shared one on 4222 stays up for everyone else.
    try (NatsTestServer server = NatsTestServer.start()) {
      Connection own =
          Nats.connect(
              new Options.Builder()
                  .server(server.url())
                  .maxReconnects(-1)
                  .reconnectWait(Duration.ofMillis(200))
                  .build());
      try {
        JetStreamManagement ownJsm = own.jetStreamManagement();
        ownJsm.addStream(
            StreamConfiguration.builder()
                .name("HERALD_DOWN")
                .subjects("herald-down.all")
                .storageType(StorageType.File)
                .build());
        relay =
            JetStreamRelay.create(
                own, RelayOptions.builder().confirmTimeout(Duration.ofSeconds(2)).build());
        fixture.signal.connect(
            "to-nats",
            RelayFixture.breakingFast(Duration.ofSeconds(2)),
            relay.to("herald-down.all"));
        server.stop();
        fixture.herald.start();
        fixture.sendCommitted(List.of("a", "b", "c", "d", "e", "f", "g", "h"), 5);

        await().atMost(Duration.ofSeconds(60)).until(() -> fixture.breakerWent(BreakerState.OPEN));
        assertThat(fixture.events(HeraldEvent.DeadLettered.class)).isEmpty();
        assertThat(fixture.readyTasks()).isEqualTo(40);

        server.startAgain();
        await().atMost(Duration.ofSeconds(60)).until(() -> fixture.readyTasks() == 0);
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(() -> ownJsm.getStreamInfo("HERALD_DOWN").getStreamState().getMsgCount() == 40);
        assertThat(fixture.breakerWent(BreakerState.CLOSED)).isTrue();
        assertThat(fixture.events(HeraldEvent.DeadLettered.class)).isEmpty();
      } finally {
        own.close();
      }
    }
  }
}
