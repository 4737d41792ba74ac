package dev.herald;

import java.time.Duration;

/** What one attempt came to, before it is recorded. */
sealed interface Outcome {

  /** The receiver succeeded: delete the task. */
  record Succeeded(Duration took) implements Outcome {}

  /** The attempt failed and the policy allows another: run it again after {@code delay}. */
  record RetryLater(Duration delay, String reason) implements Outcome {}

  /** No further attempt: retries exhausted, a permanent failure, or an undecodable payload. */
  record DeadLetter(String reason) implements Outcome {}

  /**
   * Give the task back now. {@code refund}: the receiver never started (its breaker refused, or
   * shutdown came first), so the attempt the claim counted is taken back.
   */
  record Release(String reason, boolean refund) implements Outcome {}
}
