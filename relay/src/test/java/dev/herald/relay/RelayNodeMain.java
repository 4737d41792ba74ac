package dev.herald.relay;

import com.rabbitmq.client.ConnectionFactory;
import dev.herald.Herald;
import dev.herald.HeraldOptions;
import dev.herald.Receiver;
import dev.herald.ReceiverOptions;
import dev.herald.Signal;
import dev.herald.fixtures.R2dbcConnections;
import dev.herald.fixtures.TestDatabase;
import dev.herald.r2dbc.R2dbcTaskStore;
import dev.herald.relay.RelayFixture.Payment;
import io.nats.client.Nats;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.KafkaProducer;
import reactor.core.publisher.Mono;

/**
 * A relay dispatcher in a JVM of its own, for {@link RelayKillIT}: relays {@code payment.completed}
 * to a broker; once the broker confirmed one chosen payment (first attempt), it prints {@code
 * PUBLISHED <taskId>} and never reports success, so that the parent kills it exactly between the
 * broker's confirm and Herald's acknowledgement.
 *
 * <p>Arguments: broker ({@code rabbitmq}, {@code nats} or {@code kafka}), destination (exchange,
 * subject or topic), database host, port, name, user, password, table, the payment to stop at
 * ({@code order:n}) and, for Kafka, the bootstrap servers (the test JVM's in-process broker).
 */
public final class RelayNodeMain {

  private RelayNodeMain() {}

  public static void main(String[] args) throws Exception {
    String broker = args[0];
    String destination = args[1];
    TestDatabase.Endpoint db =
        new TestDatabase.Endpoint(args[2], Integer.parseInt(args[3]), args[4], args[5], args[6]);
    String table = args[7];
    String stopAt = args[8]; // order:n

    Receiver<Payment> relay =
        switch (broker) {
          case "rabbitmq" -> {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setHost("127.0.0.1");
            yield RabbitRelay.create(factory.newConnection("herald-relay-node"))
                .to(destination, "all");
          }
          case "nats" ->
              JetStreamRelay.create(Nats.connect("nats://127.0.0.1:4222")).to(destination);
          case "kafka" ->
              KafkaRelay.create(new KafkaProducer<>(KafkaRelay.producerConfig(args[9])))
                  .to(destination);
          default -> throw new IllegalArgumentException("unknown broker " + broker);
        };
    R2dbcTaskStore store =
        R2dbcTaskStore.builder(
                R2dbcConnections.pool(db, "herald-relay-node", 4, Duration.ofSeconds(10)))
            .tableName(table)
            .build();
    Herald herald =
        Herald.builder(store)
            .options(
                HeraldOptions.builder()
                    .lease(Duration.ofSeconds(2))
                    .pollInterval(Duration.ofMillis(200))
                    .build())
            .build();
    Signal<Payment> signal = herald.signal(RelayFixture.SIGNAL, Payment.class);
    signal.connect(
        "relay",
        ReceiverOptions.builder().concurrency(16).timeout(Duration.ofMinutes(5)).build(),
        d ->
            relay
                .receive(d)
                .then(
                    Mono.defer(
                        () -> {
                          String id = d.payload().order() + ":" + d.payload().n();
                          if (!id.equals(stopAt) || d.attempt() > 1) {
                            return Mono.empty();
                          }
                          System.out.println("PUBLISHED " + d.taskId());
                          System.out.flush();
                          return Mono.never();
                        })));
    herald.start();
    System.out.println("READY");
    System.out.flush();
    new CountDownLatch(1).await(); // until killed
  }
}
