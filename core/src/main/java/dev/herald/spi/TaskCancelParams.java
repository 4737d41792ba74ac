package dev.herald.spi;

import java.util.Arrays;
import java.util.Objects;

/**
 * Cancel ready tasks that no node runs: by id, and those holding a dedupe key of a signal.
 *
 * @param ids task ids (may be empty)
 * @param signal with {@code dedupeKey}: the signal whose pending tasks of that key are cancelled,
 *     or null
 * @param dedupeKey the key, or null
 */
public record TaskCancelParams(long[] ids, String signal, String dedupeKey) {
  /** Validates and copies. */
  public TaskCancelParams {
    ids = Objects.requireNonNull(ids, "ids").clone();
    if ((signal == null) != (dedupeKey == null)) {
      throw new IllegalArgumentException("signal and dedupeKey go together: " + signal);
    }
  }

  @Override
  public long[] ids() {
    return ids.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TaskCancelParams p
        && Arrays.equals(ids, p.ids)
        && Objects.equals(signal, p.signal)
        && Objects.equals(dedupeKey, p.dedupeKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(ids), signal, dedupeKey);
  }

  @Override
  public String toString() {
    return "TaskCancelParams[ids=" + Arrays.toString(ids) + ", " + signal + ", " + dedupeKey + "]";
  }
}
