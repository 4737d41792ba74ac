package dev.herald;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * How one {@link Signal#sendReliable(Object, SendOptions) send} is delivered: headers, and no
 * earlier than a delay after the send or a given instant. Immutable: each {@code with} returns a
 * copy.
 *
 * <p>A delay runs on the database's clock from the moment the task's row is written, as a task's
 * due time always does; an instant is the application's. With both, the later of the two counts. A
 * delayed task commits and rolls back with its transaction like any other; once due, it starts
 * within milliseconds on the node that sent it (its dispatcher sets a timer for it) and within the
 * poll interval on any other. The in-memory store's immediate mode delivers at commit only what is
 * due then: a delayed task stays stored (its {@code tasks()} show it) for a test to inspect.
 */
public final class SendOptions {

  private static final SendOptions NONE = new SendOptions(Map.of(), Duration.ZERO, null);

  private final Map<String, String> headers;
  private final Duration delay;
  private final Instant notBefore;

  private SendOptions(Map<String, String> headers, Duration delay, Instant notBefore) {
    this.headers = headers;
    this.delay = delay;
    this.notBefore = notBefore;
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
    return new SendOptions(headers, delay, notBefore);
  }

  /**
   * The same options with an earliest instant.
   *
   * @param instant on the application's clock
   * @return a copy
   */
  public SendOptions withNotBefore(Instant instant) {
    return new SendOptions(headers, delay, Objects.requireNonNull(instant, "notBefore"));
  }

  /**
   * The same options with headers, delivered with the task (for example {@code traceparent}).
   *
   * @param headers string headers
   * @return a copy
   */
  public SendOptions withHeaders(Map<String, String> headers) {
    return new SendOptions(Map.copyOf(headers), delay, notBefore);
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
    return "SendOptions[delay=" + delay + ", notBefore=" + notBefore + ", headers=" + headers + "]";
  }
}
