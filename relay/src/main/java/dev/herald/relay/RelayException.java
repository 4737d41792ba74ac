package dev.herald.relay;

import dev.herald.HeraldException;

/**
 * A relay attempt failed for a reason that may pass: the broker refused (nacked) the message, did
 * not confirm it in time, or could not be reached. Herald retries the task on its receiver's
 * backoff. When the broker could not be reached or did not answer in time, the cause chain holds an
 * {@link java.io.IOException} or a {@link java.util.concurrent.TimeoutException}, so the relay's
 * circuit breaker counts the failure and opens while the broker is down: the backlog then waits in
 * PostgreSQL without burning attempts.
 *
 * <p>Failures that retrying cannot fix (an unroutable message, a missing stream, a record too
 * large) are raised as {@link dev.herald.PermanentFailureException} instead and dead-letter the
 * task at once.
 */
public class RelayException extends HeraldException {

  private static final long serialVersionUID = 1L;

  private final String destination;
  private final long taskId;

  /**
   * Creates the exception.
   *
   * @param destination where the message was going (exchange and routing key, subject, topic)
   * @param taskId the relayed task's id
   * @param reason what went wrong
   * @param cause the client's failure, or null
   */
  public RelayException(String destination, long taskId, String reason, Throwable cause) {
    super(describe(destination, taskId, reason), cause);
    this.destination = destination;
    this.taskId = taskId;
  }

  static String describe(String destination, long taskId, String reason) {
    return "relay of task " + taskId + " to " + destination + " failed: " + reason;
  }

  /**
   * Where the message was going.
   *
   * @return the exchange and routing key, subject or topic
   */
  public String destination() {
    return destination;
  }

  /**
   * The relayed task's id.
   *
   * @return the task id
   */
  public long taskId() {
    return taskId;
  }
}
