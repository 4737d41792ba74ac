package dev.herald.examples.domain;

/**
 * A stand-in fraud check that runs late in the payment's transaction, after the signal is sent:
 * when it rejects a payment, the transaction rolls back and takes the signal's tasks with it. It
 * rejects every payment of {@link #LIMIT_CENTS} or more, and no other.
 */
public final class FraudCheck {

  /** Payments of this many cents or more are rejected. */
  public static final long LIMIT_CENTS = 1_000_000;

  private FraudCheck() {}

  /**
   * Checks a payment. Synchronous, so that each demo calls it inside its own transaction (a Reactor
   * operator or a Vert.x {@code compose}), where the exception fails the transaction and rolls it
   * back.
   *
   * @param payment the payment being completed
   * @throws FraudSuspectedException if its amount reaches {@link #LIMIT_CENTS}
   */
  public static void verify(Payment payment) {
    if (payment.amountCents() >= LIMIT_CENTS) {
      throw new FraudSuspectedException(
          "payment "
              + payment.id()
              + " of "
              + Money.format(payment.amountCents())
              + " exceeds the limit of "
              + Money.format(LIMIT_CENTS));
    }
  }

  /** A payment the fraud check rejected; its transaction rolls back. */
  public static final class FraudSuspectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FraudSuspectedException(String message) {
      super(message);
    }
  }
}
