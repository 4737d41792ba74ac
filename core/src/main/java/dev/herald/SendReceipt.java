package dev.herald;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one {@link Signal#sendReliable(Object, SendOptions)} wrote into the caller's transaction.
 * The ids become visible to other transactions when the caller commits; after a rollback they name
 * nothing.
 *
 * @param signal the signal's name
 * @param taskIds the task written for each receiver, by receiver name (connected or declared on the
 *     sending node, or registered by any node)
 * @param deduplicated the receivers for which nothing was written because a task of theirs with the
 *     send's {@linkplain SendOptions#withDedupeKey dedupe key} was pending
 */
public record SendReceipt(String signal, Map<String, Long> taskIds, Set<String> deduplicated) {
  /** Validates and copies. */
  public SendReceipt {
    Objects.requireNonNull(signal, "signal");
    taskIds = Map.copyOf(taskIds);
    deduplicated = Set.copyOf(deduplicated);
  }

  /**
   * Whether this send wrote nothing because of its dedupe key: every receiver already had a pending
   * task with it.
   *
   * @return true if nothing was written and some receiver was deduplicated
   */
  public boolean isDuplicate() {
    return taskIds.isEmpty() && !deduplicated.isEmpty();
  }

  /**
   * The task written for one receiver.
   *
   * @param receiver the receiver's name
   * @return its task id
   * @throws IllegalArgumentException if no task was written for it
   */
  public long taskId(String receiver) {
    Long id = taskIds.get(receiver);
    if (id == null) {
      throw new IllegalArgumentException(
          "no task of signal '" + signal + "' was written for receiver '" + receiver + "'");
    }
    return id;
  }
}
