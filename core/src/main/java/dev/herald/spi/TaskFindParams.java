package dev.herald.spi;

import java.util.Arrays;
import java.util.Objects;

/**
 * Find tasks in any state: by id, and those sent with a dedupe key of a signal.
 *
 * @param ids task ids (may be empty)
 * @param signal with {@code dedupeKey}: the signal whose tasks of that key are found, or null
 * @param dedupeKey the key, or null
 * @param limit the most rows answered, at least 1: the newest (highest ids) first
 */
public record TaskFindParams(long[] ids, String signal, String dedupeKey, int limit) {
  /** Validates and copies. */
  public TaskFindParams {
    ids = Objects.requireNonNull(ids, "ids").clone();
    if ((signal == null) != (dedupeKey == null)) {
      throw new IllegalArgumentException("signal and dedupeKey go together: " + signal);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, but was " + limit);
    }
  }

  @Override
  public long[] ids() {
    return ids.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TaskFindParams p
        && Arrays.equals(ids, p.ids)
        && Objects.equals(signal, p.signal)
        && Objects.equals(dedupeKey, p.dedupeKey)
        && limit == p.limit;
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(ids), signal, dedupeKey, limit);
  }

  @Override
  public String toString() {
    return "TaskFindParams[ids="
        + Arrays.toString(ids)
        + ", "
        + signal
        + ", "
        + dedupeKey
        + ", limit="
        + limit
        + "]";
  }
}
