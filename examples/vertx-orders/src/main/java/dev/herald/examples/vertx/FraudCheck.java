package dev.herald.examples.vertx;

import io.vertx.core.Future;

/**
 * A stand-in fraud check that runs late in the payment's transaction, after the signal is sent:
 * when it rejects a payment, the transaction rolls back and takes the signal's tasks with it.
 */
public final class FraudCheck {

  /** Payments of this many cents or more are rejected. */
  public static final long LIMIT_CENTS = 1_000_000;

  /**
   * Checks a payment.
   *
   * @param payment the payment being completed
   * @return succeeds if the payment looks fine, fails with {@link FraudSuspectedException} if not
   */
  public Future<Void> verify(Payment payment) {
    return payment.amountCents() >= LIMIT_CENTS
        ? Future.failedFuture(
            new FraudSuspectedException(
                "payment "
                    + payment.id()
                    + " of "
                    + Money.format(payment.amountCents())
                    + " exceeds the limit of "
                    + Money.format(LIMIT_CENTS)))
        : Future.succeededFuture();
  }

  /** A payment the fraud check rejected; its transaction rolls back. */
  public static final class FraudSuspectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message why
     */
    public FraudSuspectedException(String message) {
      super(message);
    }
  }
}
