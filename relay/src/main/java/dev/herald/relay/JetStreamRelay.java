package dev.herald.relay;

import static java.util.Objects.requireNonNull;

import dev.herald.Delivery;
import dev.herald.Receiver;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;

/**
 * Publishes signals to NATS JetStream, as a receiver: {@code signal.connect("to-nats",
 * nats.to("orders.payment-completed"))}.
 *
 * <p>Guarantees, on top of Herald's (the task exists if and only if the sender committed):
 *
 * <ul>
 *   <li><b>Acknowledged only after the stream stored it.</b> Each message is published with {@code
 *       publishAsync} and the task succeeds only when the stream's publish ack arrives. Many
 *       publishes are in flight at once (up to the receiver's concurrency).
 *   <li><b>No silent loss.</b> No ack within {@link RelayOptions#confirmTimeout()}, or a connection
 *       lost, fails the attempt with a {@link RelayException} (retried; counted by the breaker, so
 *       a NATS server that is down opens it and the backlog waits in PostgreSQL). A subject no
 *       stream listens on, or an error the stream answers with, dead-letters the task at once with
 *       a {@link dev.herald.PermanentFailureException}.
 *   <li><b>Duplicates dropped by the stream.</b> {@code Nats-Msg-Id} is the task id, the same on
 *       every attempt: within the stream's duplicate window (2 minutes by default) a resend is
 *       acknowledged as a duplicate and not stored again. Consumers of an older resend see the id
 *       too.
 *   <li><b>Order per key.</b> Herald runs one task per ordering key at a time and the next starts
 *       only after this one's ack, so the messages of a key are stored in send order; use {@link
 *       #to(Function)} to put each key on its own subject.
 * </ul>
 *
 * <p>The body follows {@link RelayOptions#format()}: a CloudEvent in structured mode, or the raw
 * payload. The client's publish calls run on the relay's own thread, never the caller's. A
 * receiver's {@code Mono} completes on the thread that completed the publish ack (jnats' own), so
 * what is chained after it must be short and non-blocking. It never closes the connection it was
 * given; {@link #close()} stops its thread.
 */
public final class JetStreamRelay implements AutoCloseable {

  private final JetStreamPublisher publisher;

  private JetStreamRelay(JetStreamPublisher publisher) {
    this.publisher = publisher;
  }

  /**
   * A relay on the connection with the default options (CloudEvents, 10 s ack timeout).
   *
   * @param connection a connection to a server with JetStream enabled
   * @return the relay
   */
  public static JetStreamRelay create(Connection connection) {
    return create(connection, RelayOptions.defaults());
  }

  /**
   * A relay on the connection with the given options.
   *
   * @param connection a connection to a server with JetStream enabled
   * @param options format, source, codec and ack timeout
   * @return the relay
   * @throws UncheckedIOException if the connection cannot give a JetStream context
   */
  public static JetStreamRelay create(Connection connection, RelayOptions options) {
    requireNonNull(connection, "connection");
    requireNonNull(options, "options");
    JetStream js;
    try {
      js = connection.jetStream();
    } catch (IOException e) {
      throw new UncheckedIOException("no JetStream context on " + connection, e);
    }
    return new JetStreamRelay(new JetStreamPublisher(js, options));
  }

  /**
   * A receiver that publishes each delivery to the subject.
   *
   * @param subject a subject a stream captures
   * @param <T> the signal's payload type
   * @return the receiver
   */
  public <T> Receiver<T> to(String subject) {
    requireNonNull(subject, "subject");
    return to(d -> subject);
  }

  /**
   * A receiver that publishes each delivery to a subject computed from it, for example {@code d ->
   * "orders." + d.orderingKey()}.
   *
   * @param subject the subject of a delivery
   * @param <T> the signal's payload type
   * @return the receiver
   */
  public <T> Receiver<T> to(Function<? super Delivery<T>, String> subject) {
    requireNonNull(subject, "subject");
    return d -> publisher.publish(subject.apply(d), d);
  }

  /**
   * Stops the relay's thread; publishes still waiting for an ack fail at once and are retried by
   * Herald (the stream drops a resend it already stored, by its message id).
   */
  @Override
  public void close() {
    publisher.close();
  }
}
