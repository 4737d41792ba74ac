package dev.herald.spi;

import java.util.Objects;

/**
 * Dead-letter one claimed task.
 *
 * @param owner the owner
 * @param id the task id
 * @param attempt the attempt (fencing)
 * @param lastError why, for column {@code last_error}
 */
public record TaskDeadLetterParams(String owner, long id, int attempt, String lastError) {
  /** Validates. */
  public TaskDeadLetterParams {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(lastError, "lastError");
  }
}
