package dev.herald.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * Extend leases.
 *
 * @param tokens the claims still running
 * @param lease the new lease, from now
 */
public record TaskExtendLeaseParams(TaskTokens tokens, Duration lease) {
  /** Validates. */
  public TaskExtendLeaseParams {
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(lease, "lease");
  }
}
