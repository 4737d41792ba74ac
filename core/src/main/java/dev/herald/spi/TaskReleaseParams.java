package dev.herald.spi;

import java.util.Objects;

/**
 * Release claimed tasks.
 *
 * @param tokens the claims to give back
 * @param refundAttempt true if the attempts were never started (they are decremented)
 */
public record TaskReleaseParams(TaskTokens tokens, boolean refundAttempt) {
  /** Validates. */
  public TaskReleaseParams {
    Objects.requireNonNull(tokens, "tokens");
  }
}
