package dev.herald.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One task per receiver for one send.
 *
 * @param signal the signal's name
 * @param receivers the receivers' names, one task each
 * @param payload the encoded payload (JSON text)
 * @param headers the encoded headers (a JSON object)
 * @param delay the tasks are due this long after their rows are written (zero: at once)
 * @param notBefore and no earlier than this instant, or null
 * @param notifyChannel the channel to {@code NOTIFY} in the same transaction, or null for none
 * @param dedupeKey no task for a receiver that holds a pending task of the signal with this key, or
 *     null
 * @param orderKey the tasks run after every earlier task of their receiver with this key, or null
 * @param ids whether to answer each receiver's task id (a send with a dedupe key always does)
 */
public record TaskInsertManyParams(
    String signal,
    List<String> receivers,
    String payload,
    String headers,
    Duration delay,
    Instant notBefore,
    String notifyChannel,
    String dedupeKey,
    String orderKey,
    boolean ids) {
  /** Validates and copies. */
  public TaskInsertManyParams {
    Objects.requireNonNull(signal, "signal");
    receivers = Params.list("receivers", receivers);
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, but was " + delay);
    }
  }
}
