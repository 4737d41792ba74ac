package dev.herald.examples.domain;

/**
 * An order with its payment, as the API shows it.
 *
 * @param id the order's id
 * @param amountCents the amount, in cents
 * @param status {@code pending} or {@code completed}
 * @param paymentId the payment's id
 * @param paymentStatus {@code pending}, {@code succeeded} or {@code failed}
 */
public record Order(
    long id, long amountCents, String status, long paymentId, String paymentStatus) {

  /** Status of an order that no receiver completed yet. */
  public static final String PENDING = "pending";

  /** Status of an order whose payment's {@code complete-order} receiver ran. */
  public static final String COMPLETED = "completed";
}
