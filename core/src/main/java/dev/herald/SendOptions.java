package dev.herald;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * How one {@link Signal#sendReliable(Object, SendOptions) send} is delivered: headers, no earlier
 * than a delay after the send or a given instant, at most one pending task per dedupe key, and one
 * at a time in order per ordering key. Immutable: each {@code with} returns a copy.
 *
 * <p>A delay runs on the database's clock from the moment the task's row is written, as a task's
 * due time always does; an instant is the application's. With both, the later of the two counts. A
 * delayed task commits and rolls back with its transaction like any other; once due, it starts
 * within milliseconds on the node that sent it (its dispatcher sets a timer for it) and within the
 * poll interval on any other. The in-memory store's immediate mode delivers at commit only what is
 * due then: a delayed task stays stored (its {@code tasks()} show it) for a test to inspect.
 */
public final class SendOptions {

  private static final SendOptions NONE =
      new SendOptions(Map.of(), Duration.ZERO, null, null, null);

  private final Map<String, String> headers;
  private final Duration delay;
  private final Instant notBefore;
  private final String dedupeKey;
  private final String orderingKey;

  private SendOptions(
      Map<String, String> headers,
      Duration delay,
      Instant notBefore,
      String dedupeKey,
      String orderingKey) {
    this.headers = headers;
    this.delay = delay;
    this.notBefore = notBefore;
    this.dedupeKey = dedupeKey;
    this.orderingKey = orderingKey;
  }

  /**
   * Delivered as soon as committed, without headers.
   *
   * @return the options of a plain send
   */
  public static SendOptions none() {
    return NONE;
  }

  /**
   * Delivered no earlier than {@code delay} after the send.
   *
   * @param delay zero or positive
   * @return the options
   */
  public static SendOptions delay(Duration delay) {
    return NONE.withDelay(delay);
  }

  /**
   * Delivered no earlier than {@code instant}.
   *
   * @param instant on the application's clock; one in the past means at once
   * @return the options
   */
  public static SendOptions notBefore(Instant instant) {
    return NONE.withNotBefore(instant);
  }

  /**
   * The same options with a delay.
   *
   * @param delay zero or positive
   * @return a copy
   */
  public SendOptions withDelay(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, but was " + delay);
    }
    return new SendOptions(headers, delay, notBefore, dedupeKey, orderingKey);
  }

  /**
   * The same options with an earliest instant.
   *
   * @param instant on the application's clock
   * @return a copy
   */
  public SendOptions withNotBefore(Instant instant) {
    return new SendOptions(
        headers, delay, Objects.requireNonNull(instant, "notBefore"), dedupeKey, orderingKey);
  }

  /**
   * The same options with headers, delivered with the task (for example {@code traceparent}).
   *
   * @param headers string headers
   * @return a copy
   */
  public SendOptions withHeaders(Map<String, String> headers) {
    return new SendOptions(Map.copyOf(headers), delay, notBefore, dedupeKey, orderingKey);
  }

  /**
   * Deduplicated by {@code key}: the send writes no task for a receiver that already has a pending
   * task (ready, scheduled, running or waiting to retry) of the same signal with the same key; the
   * {@link SendReceipt} names those receivers. A key is pending from its send's commit until its
   * task succeeds, is dead-lettered or is cancelled; a dead letter requeued later runs without
   * taking its key again. Concurrent senders of one key in READ COMMITTED transactions (the
   * default) write exactly one task: the others wait for the first to commit or roll back. Under
   * REPEATABLE READ or SERIALIZABLE the waiting ones fail with a serialization error instead, to be
   * retried by the application as any such conflict.
   *
   * @param key 1 to 200 characters, no control characters
   * @return a copy
   * @throws IllegalArgumentException naming {@code dedupeKey} if the key is invalid
   */
  public SendOptions withDedupeKey(String key) {
    Options.name("dedupeKey", key);
    return new SendOptions(headers, delay, notBefore, key, orderingKey);
  }

  /**
   * A send deduplicated by {@code key}; see {@link #withDedupeKey(String)}.
   *
   * @param key the dedupe key
   * @return the options
   */
  public static SendOptions dedupeKey(String key) {
    return NONE.withDedupeKey(key);
  }

  /**
   * Ordered by {@code key}: each receiver runs the tasks that share a signal and an ordering key
   * one at a time, in the order their rows were written, which is the order of the sends when the
   * application serializes the sends of one key (for example under a row lock of the aggregate the
   * key names: the second send's transaction cannot write before the first committed). A task runs
   * only once every earlier task of its key and receiver is gone: delivered, cancelled, or
   * dead-lettered when the receiver's {@link ReceiverOptions#deadLetterBlocksKey()} is false (the
   * default). A failing task therefore holds its key back through its retries; other keys flow on.
   * Tasks without a key are never held back.
   *
   * @param key 1 to 200 characters, no control characters
   * @return a copy
   * @throws IllegalArgumentException naming {@code orderingKey} if the key is invalid
   */
  public SendOptions withOrderingKey(String key) {
    Options.name("orderingKey", key);
    return new SendOptions(headers, delay, notBefore, dedupeKey, key);
  }

  /**
   * A send ordered by {@code key}; see {@link #withOrderingKey(String)}.
   *
   * @param key the ordering key
   * @return the options
   */
  public static SendOptions orderingKey(String key) {
    return NONE.withOrderingKey(key);
  }

  /**
   * The ordering key, if any.
   *
   * @return the key, or null
   */
  public String orderingKey() {
    return orderingKey;
  }

  /**
   * The dedupe key, if any.
   *
   * @return the key, or null
   */
  public String dedupeKey() {
    return dedupeKey;
  }

  /**
   * The headers.
   *
   * @return an immutable map, empty by default
   */
  public Map<String, String> headers() {
    return headers;
  }

  /**
   * The delay from the send.
   *
   * @return zero by default
   */
  public Duration delay() {
    return delay;
  }

  /**
   * The earliest instant, if any.
   *
   * @return the instant, or null
   */
  public Instant notBefore() {
    return notBefore;
  }

  /**
   * How long from {@code now} until the task is due, as this node's timer counts it.
   *
   * @param now the application's clock
   * @return zero or positive
   */
  Duration dueIn(Instant now) {
    Duration untilInstant = notBefore == null ? Duration.ZERO : Duration.between(now, notBefore);
    return untilInstant.compareTo(delay) > 0 ? untilInstant : delay;
  }

  @Override
  public String toString() {
    return "SendOptions[delay="
        + delay
        + ", notBefore="
        + notBefore
        + ", dedupeKey="
        + dedupeKey
        + ", orderingKey="
        + orderingKey
        + ", headers="
        + headers
        + "]";
  }
}
