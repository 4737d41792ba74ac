package dev.herald.relay;

import dev.herald.PermanentFailureException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/** How relays classify a failed publish: retried, counted by the breaker, or dead-lettered. */
final class Failures {

  private Failures() {}

  /**
   * The broker could not be reached: the cause chain gets an {@link IOException} so that the
   * relay's breaker counts it (breakers count I/O failures and time-outs only).
   */
  static RelayException unavailable(String destination, long taskId, String reason, Throwable e) {
    IOException io =
        e instanceof IOException already ? already : new IOException(reason + ": " + e, e);
    return new RelayException(destination, taskId, reason, io);
  }

  /** The broker did not confirm in time; a time-out counts for the breaker too. */
  static RelayException timedOut(String destination, long taskId, java.time.Duration timeout) {
    return new RelayException(
        destination,
        taskId,
        "no confirmation from the broker within " + timeout,
        new TimeoutException("broker confirmation timed out after " + timeout));
  }

  /** The broker refused the message for this attempt (a nack): retried, not counted. */
  static RelayException refused(String destination, long taskId, String reason) {
    return new RelayException(destination, taskId, reason, null);
  }

  /** Retrying cannot help: the task is dead-lettered at once with this reason. */
  static PermanentFailureException permanent(
      String destination, long taskId, String reason, Throwable cause) {
    return new PermanentFailureException(
        RelayException.describe(destination, taskId, reason), cause);
  }
}
