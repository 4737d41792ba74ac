package dev.herald.spring.shop;

/**
 * The payload of {@code payment.completed}.
 *
 * @param paymentId the payment
 * @param amountCents its amount
 */
public record PaymentCompleted(long paymentId, long amountCents) {

  /** The signal's name. */
  public static final String SIGNAL = "payment.completed";
}
