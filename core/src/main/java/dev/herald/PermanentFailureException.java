package dev.herald;

/**
 * Thrown (or signalled) by a receiver to say that retrying cannot help: the task is dead-lettered
 * at once with this exception's message as the reason. It does not count against the receiver's
 * circuit breaker, since it describes one task, not the receiver's health.
 */
public class PermanentFailureException extends HeraldException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message why the task can never succeed
   */
  public PermanentFailureException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message why the task can never succeed
   * @param cause the underlying failure
   */
  public PermanentFailureException(String message, Throwable cause) {
    super(message, cause);
  }
}
