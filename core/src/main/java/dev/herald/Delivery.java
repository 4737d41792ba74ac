package dev.herald;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One delivery attempt of a signal to a receiver.
 *
 * <p>{@code taskId} is stable across attempts and unique per (signal send, receiver): use it as an
 * idempotency key. {@code attempt} starts at 1 and grows with every claim, including claims after a
 * crashed dispatcher's lease expired.
 *
 * @param signal the signal's name
 * @param receiver the receiver's name
 * @param taskId the task's id, stable across attempts
 * @param attempt this attempt's number, starting at 1
 * @param enqueuedAt when the sending transaction inserted the task (database clock)
 * @param headers string headers sent with the signal (for example {@code traceparent})
 * @param payload the decoded payload
 * @param orderingKey the key given with {@link SendOptions#withOrderingKey}, or null: tasks of one
 *     receiver and key run one at a time, in send order, so a receiver can carry the order on (a
 *     broker relay maps it to a partition key or routing key)
 * @param <T> the payload type
 */
public record Delivery<T>(
    String signal,
    String receiver,
    long taskId,
    int attempt,
    Instant enqueuedAt,
    Map<String, String> headers,
    T payload,
    String orderingKey) {

  /**
   * A delivery without an ordering key.
   *
   * @param signal the signal's name
   * @param receiver the receiver's name
   * @param taskId the task's id, stable across attempts
   * @param attempt this attempt's number, starting at 1
   * @param enqueuedAt when the sending transaction inserted the task (database clock)
   * @param headers string headers sent with the signal
   * @param payload the decoded payload
   */
  public Delivery(
      String signal,
      String receiver,
      long taskId,
      int attempt,
      Instant enqueuedAt,
      Map<String, String> headers,
      T payload) {
    this(signal, receiver, taskId, attempt, enqueuedAt, headers, payload, null);
  }

  /** Validates and copies the headers. */
  public Delivery {
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(receiver, "receiver");
    Objects.requireNonNull(enqueuedAt, "enqueuedAt");
    headers = Map.copyOf(headers);
  }
}
