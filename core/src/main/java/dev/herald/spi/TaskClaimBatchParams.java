package dev.herald.spi;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A claim.
 *
 * @param owner the claiming node's id
 * @param lease how long the claim lasts unless extended
 * @param wants per (signal, receiver) limits; pairs not listed are never claimed
 */
public record TaskClaimBatchParams(String owner, Duration lease, List<ClaimWant> wants) {
  /** Validates and copies. */
  public TaskClaimBatchParams {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(lease, "lease");
    wants = Params.list("wants", wants);
  }
}
