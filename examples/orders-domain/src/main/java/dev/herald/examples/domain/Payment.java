package dev.herald.examples.domain;

/**
 * A payment.
 *
 * @param id the payment's id
 * @param orderId the order it pays
 * @param amountCents the order's amount, in cents
 * @param status {@code pending}, {@code succeeded} or {@code failed}
 */
public record Payment(long id, long orderId, long amountCents, String status) {

  /** Status of a payment not completed yet. */
  public static final String PENDING = "pending";

  /** Status of a completed, successful payment. */
  public static final String SUCCEEDED = "succeeded";

  /** Status of a completed, declined payment. */
  public static final String FAILED = "failed";
}
