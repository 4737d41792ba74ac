package dev.herald.bench;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.herald.Receiver;
import dev.herald.relay.RabbitRelay;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * RabbitMQ: each drain publishes, through a {@link RabbitRelay} on a connection of its own, to a
 * durable classic queue of its own by the default exchange (persistent messages, publisher
 * confirms, mandatory), read back with a consumer on a second connection.
 */
final class RabbitTarget implements RelayTarget {

  private final Connection relayConnection;
  private final Connection admin;
  private final Channel channel;

  private RabbitTarget(Connection relayConnection, Connection admin) throws Exception {
    this.relayConnection = relayConnection;
    this.admin = admin;
    this.channel = admin.createChannel();
  }

  static RabbitTarget open() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(Brokers.rabbitMq());
    return new RabbitTarget(
        factory.newConnection("herald-bench-relay"), factory.newConnection("herald-bench-admin"));
  }

  @Override
  public Destination destination(String name) throws Exception {
    String queue = "herald.bench." + name + "." + UUID.randomUUID();
    channel.queueDeclare(queue, true, false, false, Map.of());
    RabbitRelay relay = RabbitRelay.create(relayConnection);
    Receiver<OrderPlaced> receiver = relay.to("", queue);
    return new Destination() {
      @Override
      public Receiver<OrderPlaced> receiver() {
        return receiver;
      }

      @Override
      public Arrived readBack(long expected) throws Exception {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        AtomicLong published = new AtomicLong();
        Channel reader = admin.createChannel();
        try {
          reader.basicQos(5_000);
          reader.basicConsume(
              queue,
              true,
              (tag, m) -> {
                ids.add(m.getProperties().getMessageId());
                published.incrementAndGet();
              },
              tag -> {});
          ReadBack.settle(published::get, expected);
        } finally {
          reader.abort();
        }
        return new Arrived(published.get(), ids.size());
      }

      @Override
      public void close() throws Exception {
        relay.close();
        channel.queueDelete(queue);
      }
    };
  }

  @Override
  public String describe() {
    return "RabbitMQ "
        + Brokers.address(Brokers.rabbitMq())
        + ": a durable classic queue by the default exchange, persistent messages";
  }

  @Override
  public void close() throws Exception {
    admin.close();
    relayConnection.close();
  }
}
