package dev.herald.spi;

import java.util.Objects;

/**
 * Release every task still leased by one node.
 *
 * @param owner the node's id
 */
public record TaskReleaseOwnedParams(String owner) {
  /** Validates. */
  public TaskReleaseOwnedParams {
    Objects.requireNonNull(owner, "owner");
  }
}
