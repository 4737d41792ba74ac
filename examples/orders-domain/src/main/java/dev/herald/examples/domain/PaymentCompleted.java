package dev.herald.examples.domain;

/**
 * Payload of the {@code payment.completed} signal, sent in the transaction that marks a payment
 * succeeded; its receivers run if and only if that transaction commits.
 *
 * <p>The names below are stable: Herald stores each task under its signal's and receiver's names,
 * so renaming one would orphan the tasks already written under the old name.
 *
 * @param paymentId the payment
 * @param orderId the order it pays
 * @param amountCents the amount, in cents
 */
public record PaymentCompleted(long paymentId, long orderId, long amountCents) {

  /** The signal's name. */
  public static final String SIGNAL = "payment.completed";

  /** The receiver that completes the paid order, in its own transaction. */
  public static final String COMPLETE_ORDER = "complete-order";

  /** The receiver that sends the receipt ({@link ReceiptSender}). */
  public static final String SEND_RECEIPT = "send-receipt";
}
