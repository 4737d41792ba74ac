package dev.herald;

/**
 * {@link Signal#sendReliable} was called where no transaction could be found. Nothing was written:
 * Herald never autocommits a task on its own, because a task committed without the business data
 * (or the other way round) is exactly the dual write the outbox exists to prevent.
 */
public final class NoTransactionException extends HeraldException {

  private static final long serialVersionUID = 1L;

  private final String signal;

  /**
   * Creates the exception.
   *
   * @param signal the signal that was being sent
   * @param detail why no transaction was found, and how to provide one
   */
  public NoTransactionException(String signal, String detail) {
    super("sendReliable(" + signal + ") needs the caller's transaction: " + detail);
    this.signal = signal;
  }

  /**
   * The signal that was being sent.
   *
   * @return the signal's name
   */
  public String signal() {
    return signal;
  }
}
