package dev.herald.bench;

import dev.herald.Receiver;
import dev.herald.relay.JetStreamRelay;
import io.nats.client.Connection;
import io.nats.client.IterableConsumer;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.api.OrderedConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * NATS JetStream: each drain publishes, through a {@link JetStreamRelay}, to a file-stored stream
 * of its own (2-minute duplicate window, the default), read back with an ordered consumer on a
 * second connection.
 */
final class JetStreamTarget implements RelayTarget {

  private final Connection relayConnection;
  private final Connection admin;
  private final JetStreamManagement jsm;

  private JetStreamTarget(Connection relayConnection, Connection admin) throws Exception {
    this.relayConnection = relayConnection;
    this.admin = admin;
    this.jsm = admin.jetStreamManagement();
  }

  static JetStreamTarget open() throws Exception {
    return new JetStreamTarget(Nats.connect(Brokers.nats()), Nats.connect(Brokers.nats()));
  }

  @Override
  public Destination destination(String name) throws Exception {
    String stream = "HERALD_BENCH_" + UUID.randomUUID().toString().replace("-", "");
    String subject = "herald-bench." + name + "." + stream;
    jsm.addStream(
        StreamConfiguration.builder()
            .name(stream)
            .subjects(subject)
            .storageType(StorageType.File)
            .build());
    JetStreamRelay relay = JetStreamRelay.create(relayConnection);
    Receiver<OrderPlaced> receiver = relay.to(subject);
    return new Destination() {
      @Override
      public Receiver<OrderPlaced> receiver() {
        return receiver;
      }

      @Override
      public Arrived readBack(long expected) throws Exception {
        long stored = jsm.getStreamInfo(stream).getStreamState().getMsgCount();
        Set<String> ids = new HashSet<>();
        long read = 0;
        try (IterableConsumer consumer =
            admin
                .getStreamContext(stream)
                .createOrderedConsumer(new OrderedConsumerConfiguration())
                .iterate()) {
          for (; read < stored; read++) {
            Message m = consumer.nextMessage(Duration.ofSeconds(10));
            if (m == null) {
              break;
            }
            ids.add(m.getHeaders().getFirst("Nats-Msg-Id"));
          }
        }
        return new Arrived(read, ids.size());
      }

      @Override
      public void close() throws Exception {
        relay.close();
        jsm.deleteStream(stream);
      }
    };
  }

  @Override
  public String describe() {
    return "NATS JetStream "
        + Brokers.address(Brokers.nats())
        + ": a file-stored stream, 2-minute duplicate window";
  }

  @Override
  public void close() throws Exception {
    admin.close();
    relayConnection.close();
  }
}
