package dev.herald.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/**
 * Where the relay drain finds its brokers: RabbitMQ ({@code -Dherald.bench.rabbitmq}, default
 * {@value #DEFAULT_RABBITMQ}) and NATS with JetStream ({@code -Dherald.bench.nats}, default {@value
 * #DEFAULT_NATS}) on this machine, and the in-process Kafka broker the suite starts ({@link
 * KafkaBroker}), whose address it hands to each child JVM in {@value #KAFKA_PROPERTY}.
 */
final class Brokers {

  static final String DEFAULT_RABBITMQ = "amqp://guest:guest@127.0.0.1:5672";
  static final String DEFAULT_NATS = "nats://127.0.0.1:4222";
  static final String RABBITMQ_PROPERTY = "herald.bench.rabbitmq";
  static final String NATS_PROPERTY = "herald.bench.nats";
  static final String KAFKA_PROPERTY = "herald.bench.kafka";

  /** The broker's process, for its CPU time ({@link Cpu#processCpuNanos}); -1 if unknown. */
  static final String PID_PROPERTY = "herald.bench.brokerPid";

  private Brokers() {}

  static String rabbitMq() {
    return System.getProperty(RABBITMQ_PROPERTY, DEFAULT_RABBITMQ);
  }

  static String nats() {
    return System.getProperty(NATS_PROPERTY, DEFAULT_NATS);
  }

  static String kafka() {
    String bootstrap = System.getProperty(KAFKA_PROPERTY);
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new IllegalStateException("-D" + KAFKA_PROPERTY + " is not set (the suite sets it)");
    }
    return bootstrap;
  }

  /** Host and port of a broker URI, e.g. {@code 127.0.0.1:5672}. */
  static String address(String uri) {
    URI u = URI.create(uri);
    return u.getHost() + ":" + u.getPort();
  }

  /** Whether something accepts TCP connections at the URI's host and port, within a second. */
  static boolean reachable(String uri) {
    URI u = URI.create(uri);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
