package dev.herald.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.herald.fixtures.TestDatabase;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The relay's guarantee across a crash: a dispatcher JVM ({@link RelayNodeMain}) is killed with
 * SIGKILL right after the broker confirmed one message and before Herald recorded its success; a
 * second one takes over. Every committed send must be published, nothing of a rolled-back
 * transaction, and duplicates appear only for the tasks in flight at the kill (JetStream's
 * duplicate window drops even those). The counts go to {@code target/relay-kill-report.md}.
 */
class RelayKillIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final List<String> KEYS =
      List.of("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9");
  private static final int PER_KEY = 20;
  private static final String STOP_AT = "k3:10";

  /** One published message: its id and the payment it carried. */
  private record Published(String id, String order, int n) {
    static Published of(String id, byte[] cloudEvent) {
      return ofData(id, JSON.readTree(cloudEvent).get("data"));
    }

    /** A Kafka record: a binary-mode CloudEvent, the id in a header and the payment as value. */
    static Published of(ConsumerRecord<String, byte[]> r) {
      String id = new String(r.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8);
      return ofData(id, JSON.readTree(r.value()));
    }

    private static Published ofData(String id, JsonNode data) {
      return new Published(id, data.get("order").asString(), data.get("n").asInt());
    }
  }

  @Test
  void rabbitMqPublishesEveryCommittedSendAndDuplicatesOnlyWhatWasInFlight() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    try (Connection connection = factory.newConnection("herald-relay-kill-it")) {
      Channel channel = connection.createChannel();
      String exchange = "herald.kill." + UUID.randomUUID();
      channel.exchangeDeclare(exchange, BuiltinExchangeType.DIRECT, false, true, Map.of());
      String queue = channel.queueDeclare().getQueue();
      channel.queueBind(queue, exchange, "all");
      List<Published> received = new CopyOnWriteArrayList<>();
      channel.basicConsume(
          queue,
          true,
          (tag, m) -> received.add(Published.of(m.getProperties().getMessageId(), m.getBody())),
          tag -> {});
      int duplicates = killAndCount("RabbitMQ", "rabbitmq", exchange, () -> received);
      assertThat(duplicates).isBetween(1, 16);
    }
  }

  @Test
  void jetStreamStoresEveryCommittedSendOnceEvenAfterAKill() throws Exception {
    io.nats.client.Connection nats = Nats.connect("nats://127.0.0.1:4222");
    try {
      JetStreamManagement jsm = nats.jetStreamManagement();
      String stream = "HERALD_KILL_" + UUID.randomUUID().toString().replace("-", "");
      String subject = "herald-kill." + stream;
      jsm.addStream(
          StreamConfiguration.builder()
              .name(stream)
              .subjects(subject)
              .storageType(StorageType.Memory)
              .duplicateWindow(Duration.ofMinutes(2))
              .build());
      try {
        Supplier<List<Published>> stored =
            () -> {
              try {
                long count = jsm.getStreamInfo(stream).getStreamState().getMsgCount();
                List<Published> all = new ArrayList<>();
                for (long seq = 1; seq <= count; seq++) {
                  MessageInfo m = jsm.getMessage(stream, seq);
                  all.add(Published.of(m.getHeaders().getFirst("Nats-Msg-Id"), m.getData()));
                }
                return all;
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            };
        int duplicates = killAndCount("NATS JetStream", "nats", subject, stored);
        assertThat(duplicates).isZero();
      } finally {
        jsm.deleteStream(stream);
      }
    } finally {
      nats.close();
    }
  }

  @Test
  void kafkaPublishesEveryCommittedSendAndDuplicatesOnlyWhatWasInFlight() throws Exception {
    // The broker runs in this JVM; the relay nodes reach it by its bootstrap address.
    try (KafkaClusterTestKit cluster = KafkaTestBroker.start();
        Admin admin = cluster.admin()) {
      String topic = "herald-kill-" + UUID.randomUUID();
      admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
      String bootstrap = cluster.bootstrapServers();
      Supplier<List<Published>> records =
          () -> KafkaTestBroker.readAll(bootstrap, topic).stream().map(Published::of).toList();
      // The idempotent producer drops only its own resends; the second node is another producer.
      int duplicates = killAndCount("Kafka", "kafka", topic, records, bootstrap);
      assertThat(duplicates).isBetween(1, 16);
    }
  }

  /** Sends, kills the first dispatcher at the chosen payment, drains with a second; counts. */
  private static int killAndCount(
      String name,
      String broker,
      String destination,
      Supplier<List<Published>> published,
      String... nodeArgs)
      throws Exception {
    try (RelayFixture fixture = new RelayFixture()) {
      fixture.signal.declare("relay"); // connected in the relay nodes
      fixture.sendRolledBack("rolled-back", 10);
      fixture.sendCommitted(KEYS, PER_KEY);
      int committed = KEYS.size() * PER_KEY;

      Node first = spawn(broker, destination, fixture.table, nodeArgs);
      Node second = null;
      try {
        first.awaitLine("PUBLISHED");
        first.kill();
        second = spawn(broker, destination, fixture.table, nodeArgs);
        await().atMost(Duration.ofMinutes(2)).until(() -> fixture.readyTasks() == 0);
      } finally {
        first.kill();
        if (second != null) {
          second.kill();
        }
      }
      // Every confirmed message is in the broker; the consumer may trail by a moment.
      int[] last = {-1};
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(300))
          .until(
              () -> {
                List<Published> now = published.get();
                boolean settled = now.size() == last[0];
                last[0] = now.size();
                return settled && distinctPayments(now).size() >= committed;
              });
      List<Published> all = published.get();
      Set<String> ids = new HashSet<>();
      all.forEach(p -> ids.add(p.id()));
      int duplicates = all.size() - ids.size();
      int lost = committed - distinctPayments(all).size();
      String line =
          String.format(
              "| %s | %d | %d | %d | %d |%n", name, committed, ids.size(), duplicates, lost);
      report(line);
      assertThat(all).noneMatch(p -> p.order().equals("rolled-back"));
      assertThat(lost).isZero();
      assertThat(ids).hasSize(committed);
      return duplicates;
    }
  }

  private static Set<String> distinctPayments(List<Published> all) {
    Set<String> payments = new HashSet<>();
    all.forEach(p -> payments.add(p.order() + ":" + p.n()));
    return payments;
  }

  private static void report(String line) throws IOException {
    Path report = Path.of("target", "relay-kill-report.md");
    if (!Files.exists(report)) {
      Files.writeString(
          report,
          "| broker | committed | published (distinct ids) | duplicates | lost |\n"
              + "|---|---|---|---|---|\n");
    }
    Files.writeString(report, line, StandardOpenOption.APPEND);
    System.out.print("relay kill test: " + line);
  }

  /**
   * A relay node's process and the lines it printed (read on a thread, so its pipe never fills).
   */
  private record Node(Process process, List<String> lines) {
    void awaitLine(String prefix) {
      await()
          .atMost(Duration.ofMinutes(1))
          .until(
              () -> {
                if (lines.stream().anyMatch(l -> l.startsWith(prefix))) {
                  return true;
                }
                if (!process.isAlive()) {
                  throw new IllegalStateException(
                      "the relay node exited before printing " + prefix + ": " + lines);
                }
                return false;
              });
    }

    void kill() throws InterruptedException {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static Node spawn(String broker, String destination, String table, String... extra)
      throws IOException {
    TestDatabase.Endpoint db = TestDatabase.endpoint();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command =
        new ArrayList<>(
            List.of(
                java.toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                RelayNodeMain.class.getName(),
                broker,
                destination,
                db.host(),
                Integer.toString(db.port()),
                db.database(),
                db.user(),
                db.password(),
                table,
                STOP_AT));
    command.addAll(List.of(extra));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                  lines.add(line);
                }
              } catch (IOException ended) {
                // the process died
              }
            },
            "relay-node-output");
    reader.setDaemon(true);
    reader.start();
    Node node = new Node(p, lines);
    node.awaitLine("READY");
    return node;
  }
}
