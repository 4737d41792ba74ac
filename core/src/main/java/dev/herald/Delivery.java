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
 * @param <T> the payload type
 */
public record Delivery<T>(
    String signal,
    String receiver,
    long taskId,
    int attempt,
    Instant enqueuedAt,
    Map<String, String> headers,
    T payload) {

  /** Validates and copies the headers. */
  public Delivery {
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(receiver, "receiver");
    Objects.requireNonNull(enqueuedAt, "enqueuedAt");
    headers = Map.copyOf(headers);
  }
}
