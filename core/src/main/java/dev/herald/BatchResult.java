package dev.herald;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one {@link BatchReceiver} call, per task: every task not named as failed
 * succeeded. Immutable.
 */
public final class BatchResult {

  private static final BatchResult ALL_SUCCEEDED = new BatchResult(Map.of());

  private final Map<Long, Throwable> failures;

  private BatchResult(Map<Long, Throwable> failures) {
    this.failures = failures;
  }

  /**
   * Every task of the batch succeeded.
   *
   * @return the result
   */
  public static BatchResult allSucceeded() {
    return ALL_SUCCEEDED;
  }

  /**
   * This result with one more failed task: it is retried by the receiver's retry policy, or
   * dead-lettered at once for a {@link PermanentFailureException}.
   *
   * @param delivery the failed delivery
   * @param cause why it failed, as a single receiver's error would say
   * @return a copy
   */
  public BatchResult withFailure(Delivery<?> delivery, Throwable cause) {
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(cause, "cause");
    Map<Long, Throwable> next = new HashMap<>(failures);
    next.put(delivery.taskId(), cause);
    return new BatchResult(Map.copyOf(next));
  }

  /**
   * Why a task failed, if it did.
   *
   * @param taskId the task's id
   * @return the failure, or empty if the task succeeded
   */
  public Optional<Throwable> failureOf(long taskId) {
    return Optional.ofNullable(failures.get(taskId));
  }

  /**
   * How many tasks failed.
   *
   * @return the count
   */
  public int failedCount() {
    return failures.size();
  }

  @Override
  public String toString() {
    return "BatchResult[failed=" + failures.keySet() + "]";
  }
}
