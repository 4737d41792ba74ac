package dev.herald;

/**
 * A payload or its headers could not be encoded for storage when sent: the codec failed, or the
 * result holds what PostgreSQL cannot store (a NUL character, an unpaired surrogate). Raised before
 * any SQL runs, so nothing was written and the caller's transaction is still usable.
 */
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
   * Creates the exception for a payload the codec encoded but PostgreSQL could not store.
   *
   * @param signal the signal being sent
   * @param problem what is wrong, for example {@code "the payload holds a NUL character (\u0000) at
   *     offset 12"}
   */
  public PayloadEncodingException(String signal, String problem) {
    super("cannot encode the payload of signal '" + signal + "': " + problem);
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
