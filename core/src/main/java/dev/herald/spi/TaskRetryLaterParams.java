package dev.herald.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * Retry one claimed task later.
 *
 * @param owner the owner
 * @param id the task id
 * @param attempt the failed attempt (fencing)
 * @param delay time until the task is due again
 * @param lastError the failure, for column {@code last_error}
 */
public record TaskRetryLaterParams(
    String owner, long id, int attempt, Duration delay, String lastError) {
  /** Validates. */
  public TaskRetryLaterParams {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(delay, "delay");
  }
}
