package dev.herald.bench;

import dev.herald.Receiver;

/**
 * Where the relay drain ({@link RelayDrain}) sends its tasks: a broker, through herald-relay's
 * relay for it, or nowhere (the no-op receiver the relays are compared with). Each drain gets a
 * destination of its own (a queue, a stream, a topic), read back after the drain so that a figure
 * cannot come from messages that never arrived.
 *
 * <p>Harness code: set-up and read-back block; only the receivers are measured.
 */
interface RelayTarget extends AutoCloseable {

  /** What a destination held after a drain. */
  record Arrived(long published, long distinctIds) {}

  /** One drain's destination. */
  interface Destination extends AutoCloseable {

    /** The receiver that publishes there. */
    Receiver<OrderPlaced> receiver();

    /**
     * Reads back every message the broker holds and counts their distinct message ids (the task ids
     * the relay writes).
     *
     * @param expected the messages there should be
     * @return the count
     * @throws Exception if the broker cannot be read
     */
    Arrived readBack(long expected) throws Exception;

    /** Deletes the destination. */
    @Override
    void close() throws Exception;
  }

  /**
   * A fresh destination.
   *
   * @param name a name part, e.g. "warmup"
   * @return the destination
   * @throws Exception if it cannot be created
   */
  Destination destination(String name) throws Exception;

  /** What the destination is, for the report. */
  String describe();

  @Override
  void close() throws Exception;

  /**
   * Opens a target by name.
   *
   * @param system "noop", "late", "rabbitmq", "nats" or "kafka"
   * @return the target, connected
   * @throws Exception if its broker cannot be reached
   */
  static RelayTarget open(String system) throws Exception {
    return switch (system) {
      case "noop" -> NoopTarget.now();
      case "late" -> NoopTarget.late();
      case "rabbitmq" -> RabbitTarget.open();
      case "nats" -> JetStreamTarget.open();
      case "kafka" -> KafkaTarget.open();
      default -> throw new IllegalArgumentException("unknown relay target: " + system);
    };
  }
}
