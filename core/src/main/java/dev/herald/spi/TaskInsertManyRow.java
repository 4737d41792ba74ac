package dev.herald.spi;

import java.util.Objects;

/**
 * One receiver of a {@link SenderTransaction#taskInsertMany}: the task written for it, or none when
 * the send's dedupe key was pending for it.
 *
 * @param id the task's id, or null when deduplicated (nothing written)
 * @param receiver the receiver
 */
public record TaskInsertManyRow(Long id, String receiver) {
  /** Validates. */
  public TaskInsertManyRow {
    Objects.requireNonNull(receiver, "receiver");
  }
}
