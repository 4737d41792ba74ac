package dev.herald.relay;

import static java.util.Objects.requireNonNull;

import com.rabbitmq.client.Connection;
import dev.herald.Delivery;
import dev.herald.Receiver;
import java.util.function.Function;

/**
 * Publishes signals to a RabbitMQ exchange, as a receiver: {@code signal.connect("to-rabbit",
 * rabbit.to("orders", "payment.completed"))}.
 *
 * <p>Guarantees, on top of Herald's (the task exists if and only if the sender committed):
 *
 * <ul>
 *   <li><b>Acknowledged only after the broker confirmed.</b> The relay publishes on its own channel
 *       in publisher-confirm mode, {@code mandatory}, persistent; the task succeeds only when the
 *       broker's confirm arrives. Many publishes are in flight at once (up to the receiver's
 *       concurrency) and their confirms, often acknowledged together, complete them.
 *   <li><b>No silent loss.</b> A nack, a missing confirm within {@link
 *       RelayOptions#confirmTimeout()}, or a channel or connection lost before the confirm fails
 *       the attempt with a {@link RelayException} (retried). An unroutable message (returned by the
 *       broker: no queue is bound for its routing key) or a missing exchange dead-letters the task
 *       at once with a {@link dev.herald.PermanentFailureException} naming the reason. A broker
 *       that cannot be reached fails attempts with an I/O cause, which opens the relay's circuit
 *       breaker: the backlog then waits in PostgreSQL without burning attempts.
 *   <li><b>Harmless duplicates.</b> The AMQP {@code message-id} is the task id, the same on every
 *       attempt: a consumer drops a message whose id it has seen. Duplicates happen only when an
 *       attempt's outcome was lost after the broker confirmed (a crash, a lost connection).
 *   <li><b>Order per key.</b> Herald runs one task per ordering key at a time and the next starts
 *       only after this one's confirm, so the messages of a key reach a queue in send order; route
 *       them by key with {@link #to(String, Function)} if consumers scale out per key.
 * </ul>
 *
 * <p>The body follows {@link RelayOptions#format()}: a CloudEvent in structured mode, or the raw
 * payload. The relay never blocks the caller's thread: the client's publish calls, which write to
 * the socket, run on the relay's own thread. A receiver's {@code Mono} completes in the confirm
 * listener, on the connection's thread, so what is chained after it must be short and non-blocking.
 * It never closes the connection it was given; {@link #close()} closes its channel and thread.
 */
public final class RabbitRelay implements AutoCloseable {

  private final RabbitPublisher publisher;

  private RabbitRelay(RabbitPublisher publisher) {
    this.publisher = publisher;
  }

  /**
   * A relay on the connection with the default options (CloudEvents, 10 s confirm timeout). The
   * relay opens its channel on first use.
   *
   * @param connection an open connection, ideally with automatic recovery (the default)
   * @return the relay
   */
  public static RabbitRelay create(Connection connection) {
    return create(connection, RelayOptions.defaults());
  }

  /**
   * A relay on the connection with the given options.
   *
   * @param connection an open connection
   * @param options format, source, codec and confirm timeout
   * @return the relay
   */
  public static RabbitRelay create(Connection connection, RelayOptions options) {
    requireNonNull(connection, "connection");
    requireNonNull(options, "options");
    return new RabbitRelay(new RabbitPublisher(connection, options));
  }

  /**
   * A receiver that publishes each delivery to the exchange with a fixed routing key.
   *
   * @param exchange the exchange ({@code ""} for the default exchange)
   * @param routingKey the routing key
   * @param <T> the signal's payload type
   * @return the receiver
   */
  public <T> Receiver<T> to(String exchange, String routingKey) {
    requireNonNull(routingKey, "routingKey");
    return to(exchange, d -> routingKey);
  }

  /**
   * A receiver that publishes each delivery to the exchange with a routing key computed from it,
   * for example {@code d -> "orders." + d.orderingKey()} to route the messages of one key to one
   * queue of a consistent-hash exchange.
   *
   * @param exchange the exchange ({@code ""} for the default exchange)
   * @param routingKey the routing key of a delivery
   * @param <T> the signal's payload type
   * @return the receiver
   */
  public <T> Receiver<T> to(String exchange, Function<? super Delivery<T>, String> routingKey) {
    requireNonNull(exchange, "exchange");
    requireNonNull(routingKey, "routingKey");
    return d -> publisher.publish(exchange, routingKey.apply(d), d);
  }

  /** Closes the relay's channel and thread; publishes still waiting for a confirm fail. */
  @Override
  public void close() {
    publisher.close();
  }
}
