package dev.herald;

/**
 * Base of every exception Herald raises itself. Unchecked; subclasses carry the data needed to act
 * on them (signal, receiver, task id, option name).
 */
public class HeraldException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what went wrong
   */
  public HeraldException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and a cause.
   *
   * @param message what went wrong
   * @param cause the underlying failure
   */
  public HeraldException(String message, Throwable cause) {
    super(message, cause);
  }
}
