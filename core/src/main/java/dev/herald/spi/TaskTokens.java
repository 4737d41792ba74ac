package dev.herald.spi;

import java.util.Objects;

/**
 * Claim tokens of several tasks held by one owner: what {@link TaskCompleteManyParams}, {@link
 * TaskReleaseParams} and {@link TaskExtendLeaseParams} fence their writes with.
 *
 * @param owner the owner
 * @param ids task ids
 * @param attempts the attempt of each claim, index for index
 */
public record TaskTokens(String owner, long[] ids, int[] attempts) {
  /** Validates. */
  public TaskTokens {
    Objects.requireNonNull(owner, "owner");
    Params.sameLength(ids, attempts);
  }

  @Override
  public String toString() {
    return "TaskTokens[owner=" + owner + ", " + Params.tokens(ids, attempts) + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TaskTokens p
        && owner.equals(p.owner)
        && java.util.Arrays.equals(ids, p.ids)
        && java.util.Arrays.equals(attempts, p.attempts);
  }

  @Override
  public int hashCode() {
    return Objects.hash(owner, java.util.Arrays.hashCode(ids), java.util.Arrays.hashCode(attempts));
  }
}
