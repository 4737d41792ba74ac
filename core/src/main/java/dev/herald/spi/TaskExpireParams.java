package dev.herald.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * Remove kept completed tasks older than the retention, oldest first.
 *
 * @param keepFor how long after its completion a task is kept
 * @param max the most removed in one call, at least 1
 */
public record TaskExpireParams(Duration keepFor, int max) {
  /** Validates. */
  public TaskExpireParams {
    Objects.requireNonNull(keepFor, "keepFor");
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, but was " + max);
    }
  }
}
