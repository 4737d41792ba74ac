package dev.herald;

/** A payload could not be encoded when sent; nothing was written. */
public final class PayloadEncodingException extends HeraldException {

  private static final long serialVersionUID = 1L;

  private final String signal;

  /**
   * Creates the exception.
   *
   * @param signal the signal being sent
   * @param cause the codec's failure
   */
  public PayloadEncodingException(String signal, Throwable cause) {
    super("cannot encode the payload of signal '" + signal + "': " + cause.getMessage(), cause);
    this.signal = signal;
  }

  /**
   * The signal being sent.
   *
   * @return the signal's name
   */
  public String signal() {
    return signal;
  }
}
